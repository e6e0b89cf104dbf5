// Conditional questions under radios (UI.md pages 7 and 8). GOV.UK Frontend's own reveal sets
// aria-expanded on the radio, which axe reports (aria-allowed-attr), so the panel is toggled here instead.
// Without JavaScript every conditional question stays visible (progressive enhancement, UI.md 3.3).
function init(scope) {
  scope.querySelectorAll("[data-app-conditional-radios]").forEach((group) => {
    if (group.dataset.appConditionalReady) return;
    group.dataset.appConditionalReady = "true";
    const radios = Array.from(group.querySelectorAll('input[type="radio"]'));
    const sync = () => {
      radios.forEach((radio) => {
        const panel = radio.dataset.appControls && document.getElementById(radio.dataset.appControls);
        if (panel) panel.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
      });
    };
    radios.forEach((radio) => radio.addEventListener("change", sync));
    sync();
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => init(document));
} else {
  init(document);
}
document.addEventListener("htmx:load", (event) => init(event.target));
