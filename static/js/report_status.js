// Polls the report's JSON status until it is finished, then lists the downloads.
// No inline script anywhere: the Content-Security-Policy forbids it.
(function () {
  "use strict";
  var section = document.querySelector("[data-status-url]");
  if (!section) { return; }
  var url = section.getAttribute("data-status-url");
  var text = document.getElementById("report-status-text");
  var list = document.getElementById("report-downloads");
  var heading = document.getElementById("downloads-heading");
  var hint = document.getElementById("report-status-hint");
  var delay = 1500;

  function show(data) {
    var message = data.label + (data.reason ? ": " + data.reason : "");
    if (text.textContent !== message) { text.textContent = message; }
    text.className = "report-status-text report-status-" + data.status;
    if (!data.finished) { return; }
    if (hint) { hint.remove(); }
    list.replaceChildren();
    data.downloads.forEach(function (file) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = file.url;
      link.textContent = file.label;
      item.appendChild(link);
      list.appendChild(item);
    });
    heading.hidden = data.downloads.length === 0;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (!data.finished) { window.setTimeout(poll, delay); }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  if (!/report-status-(done|failed)/.test(text.className)) { window.setTimeout(poll, delay); }
})();
