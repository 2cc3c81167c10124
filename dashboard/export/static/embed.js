/* Draw the embedded chart from the JSON in <script id="figure" type="application/json">. */
(function () {
  var node = document.getElementById("figure");
  var target = document.getElementById("chart");
  if (!node || !target || !window.Plotly) { return; }
  var fig = JSON.parse(node.textContent);
  var config = {responsive: true, displaylogo: false, topojsonURL: "/assets/geo/",
                modeBarButtonsToRemove: ["lasso2d", "select2d"]};
  window.Plotly.newPlot(target, fig.data, fig.layout, config);
})();
