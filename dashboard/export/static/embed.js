/* Draw the embedded chart from the JSON in <script id="figure" type="application/json">, and tell the page
   that embeds it how tall the embed is, so that its resize script (/embed-static/resize.js) can fit the iframe
   to the content: title, chart, notes, key and source line always whole, with no inner scroll bar.

   Message to the parent: {type: "borderstats:embed-height", chart: <chart name>, height: <CSS pixels>}, sent on
   load, whenever the content changes size (the chart redrawn, the iframe resized) and when the parent asks
   ({type: "borderstats:embed-ping"}). It carries no data from the chart, so it may go to any origin; the
   parent's script checks that it came from the iframe's own origin. */
(function () {
  "use strict";
  var HEIGHT = "borderstats:embed-height", PING = "borderstats:embed-ping";
  var main = document.querySelector("main.embed");
  var chartName = main ? (main.getAttribute("data-chart") || "") : "";
  var last = -1;

  function contentHeight() {
    // the content's own bottom, not the document's scrollHeight, which is never less than the iframe's height
    // and so could never let the iframe shrink
    var bottom = main ? main.getBoundingClientRect().bottom + (window.pageYOffset || 0) : document.body.scrollHeight;
    return Math.ceil(bottom);
  }

  function post(force) {
    if (window.parent === window) { return; }
    var h = contentHeight();
    if (!force && h === last) { return; }
    last = h;
    window.parent.postMessage({type: HEIGHT, chart: chartName, height: h}, "*");
  }

  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === PING) { post(true); }
  });
  window.addEventListener("resize", function () { post(false); });
  window.addEventListener("load", function () { post(true); });
  if (window.ResizeObserver && main) { new window.ResizeObserver(function () { post(false); }).observe(main); }

  var node = document.getElementById("figure");
  var target = document.getElementById("chart");
  if (!node || !target || !window.Plotly) { post(true); return; }
  var fig = JSON.parse(node.textContent);
  var layout = fig.layout || {};
  var legend = layout.legend || {};
  // a narrow embed (a phone): a legend on the right would leave the plot a sliver; it goes under the plot instead
  if (target.clientWidth < 560 && layout.showlegend !== false && (legend.x === undefined || legend.x >= 1)) {
    layout.legend = Object.assign({}, legend, {orientation: "h", x: 0, xanchor: "left", y: -0.12, yanchor: "top"});
    layout.margin = Object.assign({}, layout.margin || {}, {r: 12});
  }
  var config = {responsive: true, displaylogo: false, topojsonURL: "/assets/geo/",
                modeBarButtonsToRemove: ["lasso2d", "select2d"]};
  // numbered markers (policy events) stacked for the plot's real width, as charts/encounters.py marker_levels()
  // stacks them for a 600 px plot: on a narrow embed, markers a few weeks apart would print on top of each other
  function restack() {
    var full = target._fullLayout, data = target.data || [];
    if (!full || !full._size || !full.xaxis || !full.xaxis.range) { return; }
    var idx = -1;
    for (var i = 0; i < data.length; i++) { if (data[i].name === "Policy events") { idx = i; } }
    if (idx < 0) { return; }
    var lo = new Date(full.xaxis.range[0]).getTime(), hi = new Date(full.xaxis.range[1]).getTime();
    var gap = ((data[idx].marker && data[idx].marker.size) || 16) + 2;
    var width = Math.min(full._size.w, 600), ends = [], ys = [];
    data[idx].x.forEach(function (x) {
      var f = (new Date(x).getTime() - lo) / Math.max(hi - lo, 1);
      var level = 0;
      while (level < ends.length && f - ends[level] < gap / width) { level++; }
      ends[level] = f;
      ys.push(Math.round((1 - 0.06 * level) * 1000) / 1000);
    });
    if (ys.join() !== (data[idx].y || []).join()) { window.Plotly.restyle(target, {y: [ys]}, [idx]); }
  }
  window.Plotly.newPlot(target, fig.data, layout, config).then(function () {
    restack();
    post(true);
    target.on("plotly_afterplot", function () { restack(); post(false); });
  });
})();
