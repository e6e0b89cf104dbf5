// MOJ multi select (UI.md 3.1): its "Select all" checkbox has a hard-coded English hidden label; replace it
// with "Markera alla" once the component has created it (lotsen.mjs initialises the components first).
// The label holds only hidden text, so it has no size of its own although it draws the visible box (::before);
// give it the box's size so that the focused control has a visible target (CSSOM, allowed by the CSP).
const LABEL = "Markera alla";
const SELECTOR = ".moj-multi-select__toggle-label";

function relabel(root) {
  root.querySelectorAll(SELECTOR).forEach((label) => {
    const span = label.querySelector(".govuk-visually-hidden");
    if (span && span.textContent !== LABEL) span.textContent = LABEL;
    label.style.minWidth = "24px";
    label.style.minHeight = "24px";
  });
}

function watch() {
  document.querySelectorAll("#select-all").forEach((cell) => {
    relabel(cell);
    new MutationObserver(() => relabel(cell)).observe(cell, { childList: true, subtree: true });
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", watch);
} else {
  watch();
}
