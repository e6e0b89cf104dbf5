// Initialises GOV.UK Frontend and MOJ Frontend on the page and on every htmx swap (UI.md 3.3).
import * as govuk from "../build/govuk-frontend.min.js";
import * as moj from "../build/moj-frontend.min.js";

function init(scope) {
  govuk.initAll({ scope });
  moj.initAll(scope);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => init(document));
} else {
  init(document);
}

// htmx swaps: initialise components in the new content (UI.md 3.3).
document.addEventListener("htmx:load", (event) => {
  if (event.target !== document.body) init(event.target);
});
