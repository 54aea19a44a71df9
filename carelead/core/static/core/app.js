// Starts the NHS.UK components, again after each htmx swap, and moves focus to an error summary
// that htmx has just swapped in (the full-page load focuses it through initAll).
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();

document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.detail.target });
  const summary = event.detail.target.querySelector(".nhsuk-error-summary");
  if (summary) {
    summary.focus();
  }
});
