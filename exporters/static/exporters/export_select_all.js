// The export form's "Select all" box: django-import-export wires it with an inline onchange
// attribute, which the Content-Security-Policy blocks; this file wires the same handler.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);  // from export_selectable_fields.js
  });
});
