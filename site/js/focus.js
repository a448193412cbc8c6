/* Keyboard focus, which Bokeh and Panel draw faintly or lose. Runs after BokehJS is loaded and
 * before any document is embedded. */
"use strict";

(function () {
  /* A keyboard user must see where the focus is. The app's controls live in Panel's and
   * Bokeh's shadow roots, out of reach of css/app.css, and their own focus style is a thin
   * light grey dotted line (the figures' canvases a light blue one): every shadow root made
   * from here on adopts one rule that draws a clear ring instead. (A browser without
   * constructable style sheets, Safari before 16.4, keeps Bokeh's own.) */
  (function showFocus() {
    if (!("adoptedStyleSheets" in Document.prototype)) return;
    const focusRing = new CSSStyleSheet();
    focusRing.replaceSync(":focus-visible { outline: 3px solid #174ea6 !important; " +
      "outline-offset: 2px !important; } " +
      // a group's buttons touch and the group clips them: the ring goes inside
      ".bk-btn-group .bk-btn:focus-visible { outline-offset: -5px !important; }");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, focusRing];
    const attachShadow = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attachShadow.call(this, init);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, focusRing];
      return root;
    };
  })();

  /* BokehJS draws a button anew when its label changes (Play becomes Pause), and the focus
   * was on the old one: a keyboard user pressing Enter on Play lost their place. A button
   * that had the focus keeps it. */
  (function keepButtonFocus() {
    let proto = null;
    try {
      proto = Bokeh.Models.get("Button").prototype.default_view.prototype;
    } catch (err) {
      return;  // another BokehJS: its buttons as they are
    }
    while (proto && proto.constructor.__name__ !== "AbstractButtonView") {
      proto = Object.getPrototypeOf(proto);
    }
    if (!proto) return;
    const rerender = proto.rerender;
    proto.rerender = function () {
      const focused = this.shadow_el != null && this.shadow_el.activeElement != null;
      const restore = () => {
        if (focused && this.button_el && !this.button_el.disabled) this.button_el.focus();
      };
      const result = rerender.apply(this, arguments);
      if (result && typeof result.then === "function") result.then(restore); else restore();
      return result;
    };
  })();
})();
