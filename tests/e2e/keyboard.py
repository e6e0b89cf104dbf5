"""Keyboard path check for browser tests (UI.md 1.3 and 7).

`assert_keyboard_path(page, primary_action_name)` tabs through a page from the top and asserts:

- the first stop is the skip link "Hoppa till huvudinnehållet", and Enter on it moves focus into `<main>`
  (the next Tab then stays inside `<main>`: the header and navigation are skipped);
- every stop is visible and shows a focus style: outline, box-shadow, background, border, colour or text
  decoration differs from the same element unfocused (for GOV.UK radios and checkboxes, whose input is
  transparent, the label's drawn box counts);
- no element has a positive `tabindex`, and no stop repeats before focus reaches the footer;
- the primary action (a button or link with that accessible text) is reached by Tab before the footer.

It returns the stops as dicts (`tag`, `name`, `in_main`, `in_footer`), for extra assertions in a test.
"""

from __future__ import annotations

import re

SKIP_LINK_TEXT = "Hoppa till huvudinnehållet"
MAX_STOPS = 150

# The computed properties that can carry a focus indicator. Snapshotted for every focusable element while
# nothing is focused, then compared with the focused state.
_STYLE_JS = """
(() => {
  const PROPS = ["outline-style", "outline-width", "outline-color", "outline-offset", "box-shadow",
                 "background-color", "color", "border-top-color", "border-bottom-color", "border-left-color",
                 "border-right-color", "border-bottom-width", "text-decoration-line", "text-decoration-thickness"];
  const pick = (el, pseudo) => {
    if (!el) return null;
    const s = getComputedStyle(el, pseudo);
    return Object.fromEntries(PROPS.map((p) => [p, s.getPropertyValue(p)]));
  };
  // GOV.UK radios/checkboxes draw their box (and focus ring) on the label's ::before/::after.
  const partner = (el) => {
    if (el.matches("input[type=radio], input[type=checkbox]") && el.labels && el.labels.length) {
      return el.labels[0];
    }
    return null;
  };
  window.__kbSignature = (el) => {
    const label = partner(el);
    return {
      self: pick(el), before: pick(el, "::before"), after: pick(el, "::after"),
      labelSelf: pick(label), labelBefore: pick(label, "::before"), labelAfter: pick(label, "::after"),
    };
  };
  window.__kbPartner = partner;
})();
"""

_SNAPSHOT_JS = """
() => {
  const selector = "a[href], button, input, select, textarea, summary, [tabindex], [contenteditable=true]";
  window.__kbUnfocused = new Map();
  for (const el of document.querySelectorAll(selector)) {
    window.__kbUnfocused.set(el, window.__kbSignature(el));
  }
  window.__kbSeen = [];
}
"""

_RESET_JS = """
() => {
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  // Focusing <body> moves the sequential focus navigation starting point to the top of the document.
  document.body.setAttribute("tabindex", "-1");
  document.body.focus();
  document.body.removeAttribute("tabindex");
  window.scrollTo(0, 0);
}
"""

_INSPECT_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {tag: "BODY", none: true};
  const seenBefore = window.__kbSeen.indexOf(el);
  window.__kbSeen.push(el);
  const visibleBox = (node) => {
    if (!node) return false;
    const r = node.getBoundingClientRect();
    const s = getComputedStyle(node);
    if (s.visibility === "hidden" || s.display === "none" || parseFloat(s.opacity) === 0) return false;
    if (r.width <= 1 || r.height <= 1) return false;
    if (s.clipPath && s.clipPath !== "none" && s.clipPath.includes("inset(50%)")) return false;
    const vw = window.innerWidth, vh = window.innerHeight;
    return r.bottom > 0 && r.right > 0 && r.top < vh && r.left < vw;
  };
  const label = window.__kbPartner(el);
  const visible = visibleBox(el) || (label !== null && visibleBox(label));
  const focused = window.__kbSignature(el);
  const unfocused = window.__kbUnfocused.get(el) || null;
  const diffs = [];
  if (unfocused) {
    for (const part of Object.keys(focused)) {
      const a = unfocused[part], b = focused[part];
      if (!a || !b) continue;
      for (const prop of Object.keys(b)) {
        if (a[prop] !== b[prop]) diffs.push({part, prop, from: a[prop], to: b[prop]});
      }
    }
  }
  const name = (el.getAttribute("aria-label") || el.innerText || el.value || "").replace(/\\s+/g, " ").trim();
  return {
    tag: el.tagName,
    type: el.getAttribute("type") || "",
    id: el.id || "",
    name,
    href: el.getAttribute("href") || "",
    repeat: seenBefore >= 0,
    visible,
    known: unfocused !== null,
    diffs,
    focused,
    in_main: el.closest("main") !== null,
    in_footer: el.closest("footer") !== null,
    is_main: el.tagName === "MAIN",
  };
}
"""

_POSITIVE_TABINDEX_JS = """
() => [...document.querySelectorAll("[tabindex]")].filter((e) => e.tabIndex > 0).map((e) => e.outerHTML.slice(0, 80))
"""

_TRANSPARENT = re.compile(r"rgba\([^)]*,\s*0\)$")


def _visible_change(diff: dict) -> bool:
    """A change that a sighted keyboard user can see (not, say, a transparent outline appearing)."""
    prop, to = diff["prop"], diff["to"]
    if prop.startswith("outline") or prop == "text-decoration-thickness":
        return False  # outlines are judged whole in _has_visible_outline
    if prop.endswith("color") and _TRANSPARENT.search(to):
        return False
    return not (prop == "box-shadow" and to == "none")


def _has_visible_outline(stop: dict) -> bool:
    """An outline that appears or changes on focus and can be seen: a style, a width and an opaque colour."""
    parts = {d["part"] for d in stop["diffs"] if d["prop"].startswith("outline") and d["prop"] != "outline-offset"}
    for part in parts:
        style = stop["focused"][part]
        width = style["outline-width"]
        if (
            style["outline-style"] != "none"
            and not width.startswith("0")
            and not _TRANSPARENT.search(style["outline-color"])
        ):
            return True
    return False


def _describe(stop: dict) -> str:
    return f"<{stop['tag'].lower()} id={stop.get('id')!r} href={stop.get('href')!r}> {stop.get('name', '')[:60]!r}"


def _is_action(stop: dict, name: str) -> bool:
    if stop["tag"] not in ("BUTTON", "A", "INPUT", "SUMMARY"):
        return False
    if stop["tag"] == "INPUT" and stop["type"] not in ("submit", "button"):
        return False
    return stop["name"] == name


def reset_focus_to_top(page) -> None:
    page.mouse.move(0, 0)
    page.evaluate(_RESET_JS)


def assert_keyboard_path(page, primary_action_name: str, *, max_stops: int = MAX_STOPS) -> list[dict]:
    positive = page.evaluate(_POSITIVE_TABINDEX_JS)
    assert not positive, f"positive tabindex breaks the DOM order: {positive}"
    page.evaluate(_STYLE_JS)
    reset_focus_to_top(page)
    page.evaluate(_SNAPSHOT_JS)

    # 1. Skip link first; Enter lands in <main>; the next Tab stays in <main>.
    page.keyboard.press("Tab")
    first = page.evaluate(_INSPECT_JS)
    assert first["name"] == SKIP_LINK_TEXT, f"first Tab stop is {_describe(first)}, not the skip link"
    assert first["visible"], "the skip link is not visible when focused"
    page.keyboard.press("Enter")
    landed = page.evaluate("() => document.activeElement && document.activeElement.closest('main') !== null")
    assert landed, "Enter on the skip link did not move focus into <main>"
    page.keyboard.press("Tab")
    after_skip = page.evaluate("() => document.activeElement ? document.activeElement.closest('main, footer') : null")
    assert after_skip is not None, "Tab after the skip link left <main> backwards into the header"

    # 2. The whole path from the top.
    reset_focus_to_top(page)
    page.evaluate("() => { window.__kbSeen = []; }")
    stops: list[dict] = []
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        stop = page.evaluate(_INSPECT_JS)
        if stop.get("none"):
            break  # focus left the document: the path has ended
        if stop["in_footer"]:
            stops.append(stop)
            break
        assert not stop["repeat"], f"focus stop repeats before the footer: {_describe(stop)}"
        assert stop["visible"], f"focus stop is not visible: {_describe(stop)}"
        assert stop["known"], f"focus stop is not a link, button or form control: {_describe(stop)}"
        diffs = stop["diffs"]
        visible_style = any(_visible_change(d) for d in diffs) or _has_visible_outline(stop)
        assert visible_style, f"focus stop shows no focus style: {_describe(stop)} (changes: {diffs})"
        stops.append(stop)
    else:
        raise AssertionError(f"no footer reached after {max_stops} Tab presses")

    assert stops, "no focus stops on the page"
    assert stops[0]["name"] == SKIP_LINK_TEXT, f"first stop from the top is {_describe(stops[0])}"
    assert any(_is_action(s, primary_action_name) for s in stops if not s["in_footer"]), (
        f"primary action {primary_action_name!r} is not reached by Tab; stops: {[s['name'] for s in stops]}"
    )
    return stops
