"""Phone first (issue 11, item 6), measured in headless Chromium at 360, 390, 768 and 1,366 px: no horizontal page
scroll; on phones every chart's plot area is at least 60 % of the screen width; tick labels of one axis never
overlap; every line of a chart's footer (notes, source) is inside the viewport; y axis titles are whole (inside the
chart and the screen); the map's colour bar is under the map; the mode bar never covers the title; no dropdown's
chosen value is cut short.
One server and one browser for all of it (conftest's session fixtures)."""
from __future__ import annotations

import pytest

WIDTHS = [360, 390, 768, 1366]
PAGES = ["/encounters", "/compare", "/reported", "/violence", "/map"]

MEASURE_JS = """() => {
  const W = document.documentElement.clientWidth;
  const out = {scrollWidth: document.documentElement.scrollWidth, W, charts: [], cutValues: []};
  // a dropdown's chosen value cut short (an ellipsis): its text is wider than its box (not a multiple choice, whose
  // badge says how many are chosen)
  document.querySelectorAll('.dash-dropdown-value').forEach(v => {
    const multiple = v.parentElement && v.parentElement.querySelector('.dash-dropdown-value-count');
    if (!multiple && v.scrollWidth > v.clientWidth + 1) { out.cutValues.push(v.textContent); } });
  const box = el => { const r = el.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom,
                                                                   w: r.width, h: r.height}; };
  const hit = (a, b) => a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5;
  document.querySelectorAll('.js-plotly-plot').forEach(gd => {
    const c = {id: gd.parentElement && gd.parentElement.id, plots: [], overlaps: [], footer: [], modebar: null,
               title: null};
    if (gd.getBoundingClientRect().width === 0) { return; }
    gd.querySelectorAll('.nsewdrag').forEach(d => c.plots.push(box(d).w));
    gd.querySelectorAll('.geolayer .bg rect, .geo .bglayer rect').forEach(d => c.plots.push(box(d).w));
    // tick labels, per axis (each axis is its own group: .xaxislayer-above > g.xNtick…)
    const groups = {};
    gd.querySelectorAll('g.xtick text, g.ytick text').forEach(t => {
      if (!t.textContent || t.getAttribute('display') === 'none') { return; }
      const g = t.closest('g[class*="tick"]');
      const key = t.closest('.xaxislayer-above, .yaxislayer-above') ? (g.className.baseVal.split(' ')[0] + ':' +
                  [...t.closest('.xaxislayer-above, .yaxislayer-above').parentNode.children].indexOf(
                   t.closest('.xaxislayer-above, .yaxislayer-above'))) : 'x';
      const cls = [...g.classList].find(k => /tick$/.test(k)) || 'tick';
      (groups[cls] = groups[cls] || []).push({text: t.textContent, b: box(t)});
    });
    Object.entries(groups).forEach(([k, items]) => {
      for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++)
        if (items[i].b.w > 0 && items[j].b.w > 0 && hit(items[i].b, items[j].b))
          c.overlaps.push([k, items[i].text, items[j].text]);
    });
    gd.querySelectorAll('g.annotation[data-index]').forEach(a => {
      const i = +a.getAttribute('data-index'), ann = (gd._fullLayout.annotations || [])[i];
      if (!ann || ann.name !== 'footer') { return; }
      a.querySelectorAll('text tspan.line, text').forEach(line => {
        const b = box(line); if (b.w > 0) c.footer.push({text: line.textContent.slice(0, 60), l: b.l, r: b.r});
      });
    });
    // y axis titles (g.g-ytitle, g.g-y2title…), turned, left of the tick labels
    c.svg = box(gd.querySelector('.main-svg'));
    c.ytitles = [...gd.querySelectorAll('g[class^="g-y"][class$="title"] text')]
      .filter(t => t.textContent.trim()).map(t => ({text: t.textContent, ...box(t)}))
      .map(t => ({...t, hits: [...gd.querySelectorAll('.yaxislayer-above text')]
        .filter(k => k.textContent && box(k).w > 0 && hit(box(k), t)).map(k => k.textContent)}));
    // values written beside points ("more than 16,400"): whole, inside the chart
    // and the map's city names (the east edge cut "Matamoros" on a phone)
    c.cutText = [...gd.querySelectorAll('.cartesianlayer .textpoint text, .scattergeo text')]
      .map(t => ({text: t.textContent, ...box(t)}))
      .filter(t => t.w > 0 && (t.r > c.svg.r + 0.5 || t.l < c.svg.l - 0.5)).map(t => t.text);
    const geo = gd.querySelector('.geolayer .bg rect'), bar = gd.querySelector('.colorbar');
    if (geo && bar) { c.map = {geo: box(geo), bar: box(bar)}; }
    const mb = gd.querySelector('.modebar'), title = gd.querySelector('.gtitle');
    if (mb && box(mb).w > 0) { c.modebar = box(mb); }
    if (title && box(title).w > 0) { c.title = box(title); c.titleHit = c.modebar ? hit(c.modebar, c.title) : false; }
    out.charts.push(c);
  });
  return out;
}"""


def _measure(page, path: str, width: int) -> dict:
    page.page.set_viewport_size({"width": width, "height": 900})
    p = page.goto(path)
    # as long as the page itself may take (conftest's goto): the first page asks a cold server for its figures, which
    # took more than 30 s once with three test processes on a slow 2-core machine
    page.wait_for_charts(1, timeout=60000)
    # the phone re-layout runs after Plotly's first draw: wait until it has run on every chart narrower than
    # app.js's PHONE width (a chart it leaves alone, as is, or wider, needs nothing), then let its relayout settle
    p.wait_for_function("""() => Array.from(document.querySelectorAll('.js-plotly-plot')).every(gd => {
        const full = gd._fullLayout, lay = gd.layout || {};
        if (!full || !full.width || full.width >= 800 || (lay.meta && lay.meta.phone === 'as is')) return true;
        return !!lay.__phone; })""", timeout=30000)
    p.wait_for_timeout(400)
    # the mode bar shows on hover: hover every chart so that it is measured where it is drawn
    for gd in p.query_selector_all(".js-plotly-plot"):
        if gd.bounding_box():
            gd.hover(position={"x": 5, "y": 5})
    p.wait_for_timeout(200)
    return p.evaluate(MEASURE_JS)


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_screen(page, width):
    problems, ytitles = [], 0
    for path in PAGES:
        m = _measure(page, path, width)
        ytitles += sum(len(c["ytitles"]) for c in m["charts"])
        assert m["charts"], f"{path} at {width}px: no chart drawn"
        if m["scrollWidth"] > m["W"] + 1:
            problems.append(f"{path}: page scrolls sideways ({m['scrollWidth']} px in {m['W']})")
        if m["cutValues"]:
            problems.append(f"{path} at {width}px: a dropdown's chosen value is cut short: {m['cutValues'][:3]}")
        for c in m["charts"]:
            where = f"{path} #{c['id']} at {width}px"
            if width < 600 and c["plots"]:
                narrow = [round(w) for w in c["plots"] if w < 0.6 * m["W"]]
                if narrow:
                    problems.append(f"{where}: plot area {narrow} px < 60 % of {m['W']}")
            if c["overlaps"]:
                problems.append(f"{where}: tick labels overlap {c['overlaps'][:3]}")
            out = [f for f in c["footer"] if f["l"] < -0.5 or f["r"] > m["W"] + 0.5]
            if out:
                problems.append(f"{where}: footer line outside the viewport: {out[0]}")
            for t in c["ytitles"]:  # whole: inside the chart's SVG and the screen, clear of the tick labels
                if t["l"] < max(c["svg"]["l"], 0) - 0.5 or t["r"] > min(c["svg"]["r"], m["W"]) + 0.5 \
                        or t["t"] < c["svg"]["t"] - 0.5 or t["b"] > c["svg"]["b"] + 0.5:
                    problems.append(f"{where}: y axis title {t['text']!r} cut: {t} in {c['svg']}")
                if t["hits"]:
                    problems.append(f"{where}: y axis title {t['text']!r} over tick labels {t['hits'][:3]}")
            if c["cutText"]:
                problems.append(f"{where}: text beside points or places runs out of the chart: {c['cutText'][:3]}")
            if c.get("map"):  # the colour bar under the map (not at its side), inside the screen
                geo, bar = c["map"]["geo"], c["map"]["bar"]
                if bar["t"] < geo["b"] - 1 or bar["l"] < -0.5 or bar["r"] > m["W"] + 0.5:
                    problems.append(f"{where}: the colour bar is not under the map inside the screen: {bar} {geo}")
            if c.get("titleHit"):
                problems.append(f"{where}: the mode bar covers the title")
    assert not problems, "\n".join(problems)
    assert ytitles, "no y axis title measured (Encounters and Violence have them)"
    assert page.errors == [], page.errors[:5]
    assert page.external == []


def test_reported_page_stays_a_page_on_a_phone(page):
    m = _measure(page, "/reported", 390)
    height = page.page.evaluate("document.documentElement.scrollHeight")
    assert height < 9000, height  # 14,000 px before: the list of every figure now scrolls in its own box
    assert m["scrollWidth"] <= m["W"] + 1


def test_compare_table_shows_numbers_beside_the_fixed_city_column(page):
    page.page.set_viewport_size({"width": 390, "height": 900})
    p = page.goto("/compare")
    p.wait_for_selector(".table-wrap table.data tbody tr")
    city = p.locator(".table-wrap table.data tbody th[scope=row]").first.bounding_box()
    cell = p.locator(".table-wrap table.data tbody td").first.bounding_box()
    assert city["width"] < 0.45 * 390
    assert cell["x"] < 390 and cell["x"] + cell["width"] > city["x"] + city["width"]  # a number column is in view
    p.eval_on_selector(".table-wrap", "el => el.scrollLeft = 400")
    p.wait_for_timeout(100)
    moved = p.locator(".table-wrap table.data tbody th[scope=row]").first.bounding_box()
    assert abs(moved["x"] - city["x"]) < 1  # the city column stays while the numbers scroll
