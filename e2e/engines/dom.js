// What a user sees, found the way they would find it: by its visible text, wherever it is.
// Bokeh's and Panel's widgets live in shadow roots, so every search walks them too.
// Prepended to every script the harness runs in a page (drivers.py), as the object `dom`.
const dom = (() => {
  function* walk(root) {
    for (const el of root.querySelectorAll("*")) {
      yield el;
      if (el.shadowRoot) yield* walk(el.shadowRoot);
    }
  }
  function shown(el) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  }
  function text(el) {
    return (el.textContent || "").replace(/\s+/g, " ").trim();
  }
  /* The innermost shown element whose whole text matches (a string, or a RegExp). */
  function byText(wanted, selector) {
    const matches = (t) => (wanted instanceof RegExp ? wanted.test(t) : t === wanted);
    let found = null;
    for (const el of walk(document)) {
      if (selector && !el.matches(selector)) continue;
      if (matches(text(el)) && shown(el)) found = el;  // later ones are deeper
    }
    return found;
  }
  /* A button by its label, if it can be pressed now. */
  function button(label) {
    const el = byText(label, "button");
    return el && !el.disabled ? el : null;
  }
  function epoch() {
    const el = byText(/^Epoch \d+$/);
    return el === null ? null : Number(text(el).slice(6));
  }
  /* A <select> by its label: <label for>, a label around it, or the select's aria-label. */
  function select(label) {
    for (const el of walk(document)) {
      if (el.tagName === "SELECT" && el.getAttribute("aria-label") === label) return el;
      if (el.tagName !== "LABEL" || text(el) !== label) continue;
      const root = el.getRootNode();
      const target = (el.htmlFor && root.getElementById && root.getElementById(el.htmlFor)) ||
        el.querySelector("select") || (el.parentNode && el.parentNode.querySelector("select"));
      if (target && target.tagName === "SELECT") return target;
    }
    return null;
  }
  /* Choose another option of a select, as a user's choice does (input, then change). */
  function choose(label) {
    const el = select(label);
    if (el === null) throw new Error(`no select labelled ${label}`);
    const options = [...el.options];
    const next = options[(el.selectedIndex + 1) % options.length];
    el.value = next.value;
    el.dispatchEvent(new Event("input", {bubbles: true, composed: true}));
    el.dispatchEvent(new Event("change", {bubbles: true, composed: true}));
    return {value: next.value, text: next.textContent.trim()};
  }
  /* What the page says about itself (window.playground), and a failure it shows. */
  function state() {
    const pg = window.playground || {};
    const box = document.getElementById("loading-error");
    return {ready: !!pg.ready, offline: pg.offline || null, timings: pg.timings || {},
      error: box && !box.hidden ? text(box) : null, epoch: epoch(),
      playing: byText("Pause", "button") !== null, hash: location.hash};
  }
  return {walk, shown, text, byText, button, epoch, select, choose, state};
})();
