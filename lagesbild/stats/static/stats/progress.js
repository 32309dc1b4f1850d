// Follows a background statistics fetch: polls its status every two seconds until it ends.
(function () {
  "use strict";
  var box = document.getElementById("fetch-run");
  if (!box || box.dataset.finished === "1") return;
  var bar = document.getElementById("fetch-progress");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.max = s.total || 1;
        bar.value = s.done;
        bar.textContent = s.percent + " %";
        document.getElementById("fetch-status").textContent = s.status_label;
        document.getElementById("fetch-steps").textContent = s.done + "/" + s.total;
        document.getElementById("fetch-message").textContent = s.message;
        if (!s.finished) window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 500);
})();
