/* Every chart's numbers as a table (components.data_table): a <details> under the chart, reached by Tab and
   opened by Enter or Space. Opening it fills it with a real <table> (a caption, column and row headers) from the
   chart's CSV at the page's current settings: the address of the export panel's CSV link, which the page's
   callbacks keep up to date. When the settings change while it is open, it is filled again.
   All text goes in as text (textContent): nothing from the CSV is ever read as HTML. */
(function () {
  "use strict";

  function parseCsv(text) {  // RFC 4180: quoted fields may hold commas, quotes ("") and line breaks
    var rows = [], row = [], field = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') { quoted = false; } else { field += c; }
      } else if (c === '"') { quoted = true; } else if (c === ",") { row.push(field); field = ""; } else if (c === "\n") {
        row.push(field.replace(/\r$/, "")); rows.push(row); row = []; field = "";
      } else { field += c; }
    }
    if (field || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  function el(tag, text) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function csvLink(box) {
    return document.getElementById("export-" + box.getAttribute("data-chart") + "-csv");
  }

  function captionOf(box) {  // the chart's title, as text (Plotly's title markup stripped)
    var gd = box.closest("figure") && box.closest("figure").querySelector(".js-plotly-plot");
    var t = gd && gd.layout && gd.layout.title;
    var text = t ? (typeof t === "string" ? t : t.text || "") : "";
    text = text.split(/<br\s*\/?>/i)[0].replace(/<[^>]*>/g, "");
    var entities = {amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", nbsp: " "};
    text = text.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, function (m, k) { return entities[k]; });
    return text.trim() || box.closest("details").querySelector("summary").textContent;
  }

  function build(box, rows) {
    var columns = JSON.parse(box.getAttribute("data-columns") || "{}");
    var head = rows[0] || [], body = rows.slice(1).filter(function (r) { return r.length > 1; });
    var keep = Object.keys(columns).map(function (k) { return head.indexOf(k); }).filter(function (i) {
      return i >= 0 && body.some(function (r) { return (r[i] || "").trim() !== ""; });
    });
    var table = el("table"), tr = el("tr"), thead = el("thead"), tbody = el("tbody");
    table.className = "data";
    table.appendChild(el("caption", captionOf(box)));
    keep.forEach(function (i) {
      var th = el("th", columns[head[i]]);
      th.scope = "col";
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    body.forEach(function (r) {
      var row = el("tr");
      keep.forEach(function (i, n) {
        var cell = el(n === 0 ? "th" : "td", r[i] || "");
        if (n === 0) { cell.scope = "row"; }
        row.appendChild(cell);
      });
      tbody.appendChild(row);
    });
    table.appendChild(tbody);
    return table;
  }

  function fill(box) {
    var link = csvLink(box);
    if (!link) { return; }
    var href = link.getAttribute("href");
    if (box.getAttribute("data-filled") === href) { return; }
    box.setAttribute("data-filled", href);
    box.replaceChildren(el("p", box.getAttribute("data-loading")));
    window.fetch(href, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.text();
    }).then(function (text) {
      if (box.getAttribute("data-filled") === href) { box.replaceChildren(build(box, parseCsv(text))); }
    }).catch(function () {
      if (box.getAttribute("data-filled") === href) {
        box.removeAttribute("data-filled");
        box.replaceChildren(el("p", box.getAttribute("data-failed")));
      }
    });
  }

  function refreshOpen() {
    document.querySelectorAll("details.chart-data[open] .chart-table").forEach(fill);
  }

  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (d.matches && d.matches("details.chart-data") && d.open) { fill(d.querySelector(".chart-table")); }
  }, true);
  function start() {  // the page's settings changed: the CSV link's address changes with them
    new window.MutationObserver(refreshOpen).observe(document.body, {
      subtree: true, attributes: true, attributeFilter: ["href"]
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
