// Conditional questions under radios and checkboxes (UI.md 3.1). GOV.UK Frontend's own reveal sets
// aria-expanded on the input, which axe reports (aria-allowed-attr), so the panel is toggled here instead:
// inputs with `data-app-controls` show the panel with that id while they are checked.
// Without JavaScript every conditional question stays visible (progressive enhancement, UI.md 3.3).
function init(scope) {
  scope.querySelectorAll("[data-app-conditional]").forEach((group) => {
    if (group.dataset.appConditionalReady) return;
    group.dataset.appConditionalReady = "true";
    const inputs = Array.from(group.querySelectorAll('input[type="radio"], input[type="checkbox"]'));
    const sync = () => {
      inputs.forEach((input) => {
        const panel = input.dataset.appControls && document.getElementById(input.dataset.appControls);
        if (!panel) return;
        const hidden = panel.classList.contains("govuk-checkboxes__conditional")
          ? "govuk-checkboxes__conditional--hidden"
          : "govuk-radios__conditional--hidden";
        panel.classList.toggle(hidden, !input.checked);
      });
    };
    inputs.forEach((input) => input.addEventListener("change", sync));
    sync();
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => init(document));
} else {
  init(document);
}
