// dtn7j web pages: refresh the page's <main id="live"> from the same URL every two seconds.
(function () {
  "use strict";
  var busy = false;
  function refresh() {
    if (busy) { return; }
    busy = true;
    fetch(window.location.pathname, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("live");
        var live = document.getElementById("live");
        if (fresh && live && fresh.innerHTML !== live.innerHTML) {
          live.innerHTML = fresh.innerHTML;
        }
        document.body.classList.remove("offline");
      })
      .catch(function () { document.body.classList.add("offline"); })
      .then(function () { busy = false; });
  }
  setInterval(refresh, 2000);
})();
