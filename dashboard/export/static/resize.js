/* borderstats embed resizer: include once on a page that embeds borderstats charts
     <iframe src="https://<borderstats>/embed/<chart>?..." data-borderstats-embed="<chart>" ...></iframe>
     <script src="https://<borderstats>/embed-static/resize.js" async></script>
   Each embed page posts its content height ({type: "borderstats:embed-height", chart, height}); this script sets
   that height on the iframe it came from, and nothing else. A message counts only if it comes from the window of
   one of these iframes, from the origin of that iframe's src, and names the iframe's chart. */
(function () {
  "use strict";
  if (window.borderstatsEmbedResize) { return; }  // the embed code of every chart includes this script: run once
  var HEIGHT = "borderstats:embed-height", PING = "borderstats:embed-ping";
  var MIN = 100, MAX = 20000;

  function originOf(frame) {
    try { return new URL(frame.getAttribute("src") || "", document.baseURI).origin; } catch (e) { return null; }
  }

  function frames() { return document.querySelectorAll("iframe[data-borderstats-embed]"); }

  function ping(frame) {
    var origin = originOf(frame);
    if (origin && origin !== "null" && frame.contentWindow) {
      try { frame.contentWindow.postMessage({type: PING}, origin); } catch (e) { /* not loaded yet */ }
    }
  }

  window.addEventListener("message", function (event) {
    var d = event.data;
    if (!d || typeof d !== "object" || d.type !== HEIGHT) { return; }
    var height = Number(d.height);
    if (!isFinite(height) || height < MIN || height > MAX) { return; }
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var frame = list[i];
      if (frame.contentWindow !== event.source) { continue; }
      if (event.origin !== originOf(frame) || d.chart !== frame.getAttribute("data-borderstats-embed")) { return; }
      frame.style.height = Math.ceil(height) + "px";
      return;
    }
  });

  function watch() {
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var frame = list[i];
      if (!frame.borderstatsWatched) {
        frame.borderstatsWatched = true;
        frame.addEventListener("load", ping.bind(null, frame));
      }
      ping(frame);  // an embed that loaded before this script did answers with its height
    }
  }

  window.borderstatsEmbedResize = {refresh: watch};
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); } else { watch(); }
})();
