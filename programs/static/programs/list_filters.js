"use strict";
// The long list filters (programs/templates/admin/programs/dropdown_filter.html): typing in
// the search box narrows the drop-down to the matching choices and picks the first; Enter
// there, Enter on the drop-down or the "show" button opens the chosen filter. Nothing opens
// by merely moving through the choices, so the keyboard can browse them freely.
(function () {
  function open(select) {
    if (select.value) { window.location.href = select.value; }
  }
  function narrow(search, select) {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let first = null;
    for (const option of select.options) {
      const text = option.textContent.toLowerCase();
      option.hidden = !words.every(word => text.includes(word));
      if (!option.hidden && first === null) { first = option; }
    }
    if (first !== null && words.length) { select.value = first.value; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    for (const box of document.querySelectorAll(".dropdown-filter")) {
      const search = box.querySelector(".dropdown-filter-search");
      const select = box.querySelector(".dropdown-filter-choices");
      const apply = box.querySelector(".dropdown-filter-apply");
      search.addEventListener("input", () => narrow(search, select));
      search.addEventListener("keydown", event => {
        if (event.key === "Enter") { event.preventDefault(); open(select); }
        if (event.key === "ArrowDown") { event.preventDefault(); select.focus(); }
      });
      select.addEventListener("keydown", event => {
        if (event.key === "Enter") { event.preventDefault(); open(select); }
      });
      apply.addEventListener("click", () => open(select));
    }
  });
})();
