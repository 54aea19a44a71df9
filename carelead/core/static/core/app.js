// Starts the NHS.UK components, again after each htmx swap, and moves focus to an error summary
// that htmx has just swapped in (the full-page load focuses it through initAll).
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

// NHS.UK frontend starts only on a body marked as supporting it. Its template marks it with an
// inline script, which our CSP forbids; this module runs only where modules work, so mark it here.
document.body.classList.add("nhsuk-frontend-supported");
initAll();

document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.detail.target });
  const summary = event.detail.target.querySelector(".nhsuk-error-summary");
  if (summary) {
    summary.focus();
  }
});
