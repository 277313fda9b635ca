// The market picker's filter box and its "Chosen:" line, added to plain checkboxes grouped
// by region: without this file the page shows every checkbox and the choice as last saved.
// The words come from the picker's data- attributes, in the page's language.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".market-picker").forEach((picker) => {
    const boxes = Array.from(picker.querySelectorAll("input[type=checkbox]"));
    const picked = picker.querySelector(".picked-names");
    const groups = Array.from(picker.querySelectorAll(".market-group"));

    const showPicked = () => {
      const names = boxes.filter((box) => box.checked)
        .map((box) => box.closest("label").textContent.trim());
      picked.textContent = names.length ? names.join(picker.dataset.separator)
        : picker.dataset.nonePicked;
    };

    const filterId = `${picker.id}_filter`;
    const field = document.createElement("div");
    field.className = "market-filter";
    const label = document.createElement("label");
    label.htmlFor = filterId;
    label.textContent = picker.dataset.filterLabel;
    const hint = document.createElement("p");
    hint.id = `${filterId}_hint`;
    hint.className = "helptext";
    hint.textContent = picker.dataset.filterHint;
    const input = document.createElement("input");
    input.type = "search";
    input.id = filterId;
    input.autocomplete = "off";
    input.setAttribute("aria-describedby", hint.id);
    const noMatch = document.createElement("p");
    noMatch.className = "no-match";
    noMatch.setAttribute("role", "status");
    field.append(label, hint, input, noMatch);
    picker.querySelector(".picked").after(field);

    input.addEventListener("input", () => {
      const words = input.value.trim().toLowerCase();
      let shown = 0;
      groups.forEach((group) => {
        let shownHere = 0;
        group.querySelectorAll("li").forEach((item) => {
          const box = item.querySelector("input");
          const matches = !words || box.dataset.search.toLowerCase().includes(words)
            || item.textContent.toLowerCase().includes(words);
          item.hidden = !matches;
          shownHere += matches ? 1 : 0;
        });
        group.hidden = shownHere === 0;
        shown += shownHere;
      });
      noMatch.textContent = shown ? "" : picker.dataset.noMatch;
    });
    // Enter in the filter box must not send the form.
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    boxes.forEach((box) => box.addEventListener("change", showPicked));
  });
});
