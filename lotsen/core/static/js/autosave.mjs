// Autosave of long texts (UI.md 1.4): posts the form to its `data-autosave-url` 3 s after typing stops, when
// a field loses focus and on Ctrl+S (Cmd+S), and shows the server's status line ("Utkast sparat kl. 14:32").
// On failure it shows the form's `data-autosave-error` text, keeps the text in the field and tries again.
// No browser storage is used (shared computers), focus is never moved, and without JavaScript the form's own
// buttons still post it.
//
// <form method="post" data-autosave-url="/…/spara-utkast/" data-autosave-status="status-id"
//       data-autosave-required="text" data-autosave-error="Utkastet kunde inte sparas. …">
//
// The server answers a fragment: 200 when saved, 422 when not (its text says why). The request carries
// `HX-Request: true` so the server treats it like an htmx request (django-htmx).

const IDLE_MS = 3000;
const RETRY_MS = 10000;

class Autosave {
  constructor(form) {
    this.form = form;
    this.url = form.dataset.autosaveUrl;
    this.status = document.getElementById(form.dataset.autosaveStatus);
    this.required = form.dataset.autosaveRequired || "";
    this.errorText = form.dataset.autosaveError || "";
    this.timer = null;
    this.dirty = false;
    this.saving = null;
    this.again = false;
    this.stopped = false;

    form.addEventListener("input", () => this.changed());
    form.addEventListener("change", () => this.changed());
    form.addEventListener("focusout", (event) => {
      if (this.dirty && event.target.matches("input, textarea, select")) this.saveNow();
    });
    form.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        this.dirty = true;
        this.saveNow();
      }
    });
    // A real submit takes over: no autosave may race the button's own post.
    form.addEventListener("submit", () => {
      this.stopped = true;
      clearTimeout(this.timer);
    });
  }

  changed() {
    if (this.stopped) return;
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.saveNow(), IDLE_MS);
  }

  hasRequiredValue() {
    if (!this.required) return true;
    const field = this.form.elements.namedItem(this.required);
    return !field || (field.value || "").trim() !== "";
  }

  async saveNow() {
    clearTimeout(this.timer);
    if (this.stopped || !this.dirty || !this.hasRequiredValue()) return;
    if (this.saving) {
      this.again = true;
      return;
    }
    this.dirty = false;
    const body = new FormData(this.form);
    body.delete("action");
    const token = body.get("csrfmiddlewaretoken") || "";
    this.saving = fetch(this.url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": token },
    })
      .then(async (response) => {
        const html = await response.text();
        if (response.ok || response.status === 422) {
          this.show(html);
          if (!response.ok) this.retry(false);
        } else {
          this.fail();
        }
      })
      .catch(() => this.fail())
      .finally(() => {
        this.saving = null;
        if (this.again) {
          this.again = false;
          this.saveNow();
        }
      });
    await this.saving;
  }

  show(html) {
    if (!this.status) return;
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const fresh = template.content.firstElementChild;
    // Keep the live region element itself (screen readers follow it); replace only its text.
    this.status.textContent = fresh ? fresh.textContent.trim() : "";
  }

  fail() {
    if (this.status) this.status.textContent = this.errorText;
    this.retry(true);
  }

  retry(later) {
    // The text is unsaved: try again after a while (a network error) or after the next change (the server
    // refused the content and said why).
    this.dirty = true;
    if (later) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.saveNow(), RETRY_MS);
    }
  }
}

function init(scope) {
  scope.querySelectorAll("form[data-autosave-url]").forEach((form) => {
    if (!form.autosave) form.autosave = new Autosave(form);
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => init(document));
} else {
  init(document);
}
document.addEventListener("htmx:load", (event) => init(event.target));
