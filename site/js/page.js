/* Draws the page's document at once: the playground as the site build made it (by Panel, from
 * the real views), for the default link. Another link's page must not show the default's
 * data: the document's data views are cleared first (the build's placeholder patch) and the
 * worker paints the link's own as soon as Python is up. Until then the settings wait,
 * disabled; Play, Step and Reset take clicks at once (the worker runs them, in order, when it
 * is up).
 *
 * window.playgroundPage.show(doc) embeds the document; .enable() gives the settings back.
 */
"use strict";

(function () {
  const appEl = document.getElementById("app");
  const disabled = [];  // [model, its own disabled]: given back when the first frame comes

  function isWidget(model) {
    try {
      return model instanceof Bokeh.Models.get("Widget");
    } catch (err) {
      return false;
    }
  }

  async function show(page) {
    const site = new URL("./", location.href).href;
    const docsJson = JSON.parse(page.docs_json.split(page.site).join(site));
    const renderItems = JSON.parse(page.render_items);
    const rootIds = JSON.parse(page.root_ids);
    const roots = {};
    rootIds.forEach((id, i) => {
      const el = document.createElement("div");
      el.id = "pg-root-" + i;
      el.style.display = "contents";
      appEl.appendChild(el);
      roots[id] = el.id;
    });
    renderItems[0].roots = roots;
    renderItems[0].root_ids = rootIds;
    const hash = location.hash.slice(1);
    const [views] = await Bokeh.embed.embed_items(docsJson, renderItems);
    const jsdoc = [...views.roots.values()][0].model.document;
    if (hash !== "" && hash !== page.hash) jsdoc.apply_json_patch(page.placeholder, new Map());
    const early = new Set(page.early || []);
    for (const model of jsdoc.all_models) {
      if (!early.has(model.id) && "disabled" in model.properties && isWidget(model)) {
        disabled.push([model, model.disabled]);
        model.disabled = true;
      }
    }
    for (const stage of document.querySelectorAll("#loading [data-stage]")) {
      stage.classList.remove("active");
      stage.classList.add("done");
    }
    document.getElementById("loading").hidden = true;
    appEl.hidden = false;
    document.body.classList.add("starting");
    document.getElementById("starting").textContent =
      "Starting Python: Play, Step and Reset work already, the settings in a moment.";
    return jsdoc;
  }

  /* The link's first frame arrived: the settings are the worker's now. */
  function enable() {
    for (const [model, value] of disabled.splice(0)) model.disabled = value;
    document.body.classList.remove("starting");
    document.getElementById("starting").textContent = "";
  }

  window.playgroundPage = {show, enable};
})();
