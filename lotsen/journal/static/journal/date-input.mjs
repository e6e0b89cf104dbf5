// GOV.UK date input (UI.md 3.2): a date pasted as "2026-03-16" into any of its parts is split across the
// year, month and day fields. Without JavaScript the server accepts the full date in the year field.
const ISO_DATE = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/;

document.addEventListener("paste", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.classList.contains("govuk-date-input__input")) return;
  const match = ISO_DATE.exec(event.clipboardData ? event.clipboardData.getData("text") : "");
  const group = input.closest(".govuk-date-input");
  const parts = group ? group.querySelectorAll(".govuk-date-input__input") : [];
  if (!match || parts.length !== 3) return;
  event.preventDefault();
  const values = [match[1], String(Number(match[2])), String(Number(match[3]))];
  parts.forEach((part, index) => {
    part.value = values[index];
  });
  parts[2].dispatchEvent(new Event("input", { bubbles: true }));
});
