/* The Share dialog (opened by the app's Share button): the link to this exact state, and an
 * <iframe> snippet with the compact layout. The page's own URL is the link: the worker keeps
 * its hash current. */
"use strict";

(function () {
  function shareUrls() {
    const base = location.href.split("#")[0].split("?")[0];
    const params = new URLSearchParams(location.search);
    params.delete("embed");
    const query = params.toString() ? "?" + params.toString() : "";
    const hash = location.hash;
    return {link: base + query + hash,
      embed: base + "?embed" + (query ? "&" + query.slice(1) : "") + hash};
  }

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  const dialog = document.getElementById("share");
  window.playgroundShare = () => {
    const urls = shareUrls();
    document.getElementById("share-link").value = urls.link;
    document.getElementById("share-embed").value =
      '<iframe src="' + escapeAttribute(urls.embed) + '" width="640" height="480" ' +
      'style="border: 0" title="Neural Network Playground" loading="lazy"></iframe>';
    dialog.querySelector(".copied").textContent = "";
    dialog.showModal();
    document.getElementById("share-link").select();
  };
  for (const button of dialog.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      const status = dialog.querySelector(".copied");
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = "Copied.";
      } catch (err) {
        // No clipboard permission (an iframe, an old browser): the text is selected instead.
        status.textContent = document.execCommand && document.execCommand("copy") ?
          "Copied." : "Selected: press Ctrl+C (or Cmd+C) to copy.";
      }
    });
  }
})();
