// The report page's "Print" button: a script file rather than a javascript: link, which the
// Content-Security-Policy blocks. The button shows only where this script runs.
"use strict";
document.querySelectorAll(".report-print").forEach((button) => {
  button.addEventListener("click", () => window.print());
  button.hidden = false;
});
