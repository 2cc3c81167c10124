"""The export panel under every chart: links that follow the page's current settings.

In the browser (clientside): the page's query store holds its canonical query string; the links,
the permalink and the embed code are built from it, the chosen size and the chart's name (a
registry constant, never user text). Absolute addresses (the permalink, the embed code) start with the
public URL the page carries in <meta name="borderstats-public-url"> (dashboard.publicurl), never the address
the browser used.
"""
from __future__ import annotations

import json

from dash import Input, Output, clientside_callback

from dashboard import NAME, i18n
from dashboard.components import export_id
from dashboard.i18n import _
from dashboard.export.registry import CHARTS

def _js(name: str, page: str, height: int, label: str) -> str:
    return """function (store, size, zoom) {
  var q = (store && typeof store.q === "string") ? store.q : "";
  var labels = %s;  // the iframe's title in each language: the page's (its <html lang>, as its query's lang=)
  var chart = %s, page = %s, height = %d, label = labels[document.documentElement.lang] || labels.en;
  var attr = function (text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  };
  var extra = [];
  if (size && size !== "default") { extra.push("size=" + encodeURIComponent(size)); }
  if (zoom && zoom.length) { extra.push("zoom=2"); }
  var join = function (base, parts) {
    if (!parts.length) { return base; }
    return base + (base.indexOf("?") >= 0 ? "&" : "?") + parts.join("&");
  };
  var image = function (fmt) { return join("/export/" + chart + "." + fmt + q, extra.concat(["download=1"])); };
  // absolute addresses from the configured public URL (app.py writes it into the page), never the Host header
  var meta = document.querySelector('meta[name="borderstats-public-url"]');
  var origin = (meta && meta.content) ? meta.content.replace(/\\/+$/, "") : "";
  // the iframe, and the project's own script that fits its height to the chart (embed-static/resize.js);
  // `height` is the fallback where scripts do not run; "<\\/script>": this code is inlined in a script tag
  var embed = '<iframe src="' + origin + "/embed/" + chart + q + '" title="' + attr(label) + '" data-borderstats-embed="' +
    chart + '" width="100%%" height="' + height + '" style="border:0;width:100%%" scrolling="no" loading="lazy">' +
    '</iframe><script src="' + origin + '/embed-static/resize.js" async><\\/script>';
  return [image("png"), image("svg"), join("/export/" + chart + ".pdf" + q, extra.filter(function (x) {
    return x.indexOf("zoom=") !== 0; }).concat(["download=1"])), join("/export/" + chart + ".csv" + q, ["download=1"]),
    origin + page + q, embed];
}""" % (json.dumps(_iframe_titles(label)), json.dumps(name), json.dumps(page), height)


def _iframe_titles(label: str) -> dict[str, str]:
    """The iframe's title in every language (the code is written once, when the app starts)."""
    out = {}
    for language in i18n.LANGS:
        with i18n.using(language):
            out[language] = _iframe_title(label)
    return out


def _iframe_title(label: str) -> str:
    """The iframe's title for screen readers in the current language: what the chart shows, in words ("Compare
    cities: homicides in a year" becomes "Homicides in a year (compare cities) · Border migration statistics"),
    never its slug."""
    label = _(label)
    page, _sep, what = label.partition(": ")
    text = f"{what[:1].upper()}{what[1:]} ({page.lower()})" if what else label
    return f"{text} · {_(NAME)}"


for _chart in CHARTS.values():
    clientside_callback(
        _js(_chart.name, _chart.page, _chart.embed_height, _chart.label),
        Output(export_id(_chart.name, "png"), "href"), Output(export_id(_chart.name, "svg"), "href"),
        Output(export_id(_chart.name, "pdf"), "href"), Output(export_id(_chart.name, "csv"), "href"),
        Output(export_id(_chart.name, "permalink"), "value"), Output(export_id(_chart.name, "embed"), "value"),
        Input(_chart.query_store, "data"), Input(export_id(_chart.name, "size"), "value"),
        Input(export_id(_chart.name, "zoom"), "value"),
    )
