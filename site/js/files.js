/* Files, read and saved by the page itself (no Python runs behind the page's document): the
 * "Open a saved model", "Open your own data" and "Save model" buttons call these.
 *
 * A picked file's size is checked before it is read: a file over the limit is never read, and
 * the worker only hears its name and size. One that is not UTF-8 text is refused here too.
 * What the worker gets: {name, size} plus text, or error ("too_big", "not_text",
 * "unreadable"); it says what became of it (playground/model/files.py). Save model asks the
 * worker for the model and downloads what it sends back.
 */
"use strict";

(function () {
  // The most the page reads, per kind (playground/model/files.py LIMITS).
  const LIMITS = {model: 5 * 1024 * 1024, data: 2 * 1024 * 1024};
  const ACCEPT = {model: ".json,application/json", data: ".csv,text/csv"};

  function read(file, kind) {
    const sent = {name: file.name, size: file.size};
    const send = () => window.playgroundLink.post({type: "file", kind, file: sent});
    if (file.size > LIMITS[kind]) {
      sent.error = "too_big";
      send();
      return;
    }
    file.arrayBuffer().then((buffer) => {
      try {
        sent.text = new TextDecoder("utf-8", {fatal: true}).decode(buffer);
      } catch (err) {
        sent.error = "not_text";
      }
      send();
    }, () => {
      sent.error = "unreadable";
      send();
    });
  }

  /* The file pickers: one hidden input per kind, in the page's own DOM; the buttons open them. */
  for (const kind of Object.keys(LIMITS)) {
    const input = document.createElement("input");
    input.type = "file";
    input.id = "pg-open-" + kind;
    input.accept = ACCEPT[kind];
    input.hidden = true;
    input.tabIndex = -1;  // the visible button is the control
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      input.value = "";  // picking the same file again is a new pick
      if (file) read(file, kind);
    });
    document.body.appendChild(input);
  }

  function open(kind) {
    document.getElementById("pg-open-" + kind).click();
  }

  function save() {
    window.playgroundLink.post({type: "save"});
  }

  function download(msg) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([msg.text], {type: "application/json"}));
    a.download = msg.name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  window.playgroundFiles = {open, save, read};
  window.playgroundLink.on("download", download);
})();
