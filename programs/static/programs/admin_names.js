"use strict";
// Accessible names Django's own widgets leave out, given once they are drawn (after the
// page's load: the team-member picker is drawn then, the drop-down search before it).
// - The picker's search icon carries an aria-label on a plain span, which ARIA forbids:
//   it is an image with a name.
// - The drop-down search (select2) draws a combobox and a text box with no name: they take
//   the name of the field's label.
(function () {
  function labelOf(select) {
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  }

  function nameWidgets() {
    document.querySelectorAll(".search-label-icon[aria-label]").forEach(icon => {
      icon.setAttribute("role", "img");
    });
    document.querySelectorAll("select.admin-autocomplete").forEach(select => {
      const name = labelOf(select), drawn = select.nextElementSibling;
      if (!name || !drawn) {
        return;
      }
      drawn.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(
        part => part.setAttribute("aria-label", name));
    });
  }

  window.addEventListener("load", () => setTimeout(nameWidgets, 0));
})();
