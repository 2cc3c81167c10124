/* Keep the address bar in step with a page's controls, without reloading the page.
   A page's query store holds {q: "?a=1", initial: bool}: the first value (from the link that
   opened the page, cleaned of bad values) replaces the history entry; later ones push a new
   entry, so the back button steps through views (Dash Pages re-renders a page from the URL). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  borderstats: {
    pushQuery: function (store) {
      if (!store || typeof store.q !== "string") {
        return window.dash_clientside.no_update;
      }
      var target = window.location.pathname + store.q;
      var current = window.location.pathname + window.location.search;
      if (target !== current) {
        if (store.initial) {
          window.history.replaceState(window.history.state, "", target);
        } else {
          window.history.pushState({}, "", target);
        }
      }
      return store.q;
    },
    /* The first-run refresh has published and the server serves it: draw the page again, with its charts. */
    reloadWhen: function (flag) {
      if (flag === true) {
        window.location.reload();
      }
      return window.dash_clientside.no_update;
    }
  }
});

/* Phone layout. The charts are built on the server without knowing the screen width; on a narrow screen
   (a plot narrower than PHONE px: phones and small tablets) this re-lays each one out in the browser, once per figure:
   - category labels of horizontal charts go above their bars (or points), so the plot keeps the width;
   - the legend goes above the plot, the title, subtitle and footer (notes, source) are re-wrapped to the width;
   - fewer tick labels, so that none overlap; a map fills the width (its colour bar is under it already).
   The figure's data is not changed, only its layout. */
(function () {
  var PHONE = 800;  // phones and small tablets (768 px)
  var CHAR = { title: 9.8, sub: 6.9, foot: 6.1, label: 6.3 };  // average glyph widths (px) of the fonts used
  var YTITLE = 24;  // px for a y axis title's line (a 14 px font, turned) and its gap to the tick labels

  var seen = typeof WeakSet !== "undefined" ? new WeakSet() : { has: function () { return false; }, add: function () {} };

  function wrapWords(text, width) {
    var out = [], cur = "";
    text.split(/\s+/).forEach(function (w) {
      if (!w) { return; }
      if (cur && (cur + " " + w).length > width) { out.push(cur); cur = w; } else { cur = cur ? cur + " " + w : w; }
    });
    if (cur) { out.push(cur); }
    return out;
  }
  function rewrap(html, width) {  // Plotly text: lines split by <br>, each re-wrapped to `width` characters
    var lines = [];
    html.split(/<br\s*\/?>/i).forEach(function (l) { lines = lines.concat(wrapWords(l, width)); });
    return lines;
  }
  function stripTags(s) { return String(s).replace(/<[^>]*>/g, ""); }
  function textOf(t) { return !t ? "" : typeof t === "string" ? t : (t.text || ""); }  // a title, as given
  function axisName(ref) { return ref.charAt(0) + "axis" + ref.slice(1); }  // "y2" -> "yaxis2"

  function adapt(gd) {
    var full = gd._fullLayout, lay = gd.layout;
    if (!full || !lay || !gd.data || lay.__phone || !full._size || seen.has(lay)) { return; }
    var W = full.width;
    if (!W || W >= PHONE) { return; }
    if (lay.meta && lay.meta.phone === "as is") { return; }  // a small chart with no title or notes (Overview)
    lay.__phone = W;
    seen.add(lay);  // once per layout object, even if a relayout does not hold
    var up = { "margin.r": 12 }, extraTop = 0, extraBottom = 0, needPlotH = 0, restyles = [];
    var anns = (lay.annotations || []).map(function (a) { return Object.assign({}, a); });
    // a layout adapted already (a copy of one, which lost the marks above) is left as it is
    if (anns.some(function (a) { return a.name === "phone-adapted"; })) { return; }
    anns.push({ name: "phone-adapted", text: "", visible: false, showarrow: false, x: 0, y: 0,
                xref: "paper", yref: "paper" });
    var isGeo = !!full.geo && !full._has("cartesian");

    // small multiples side by side become one column
    // (axes as the figure declares them: Plotly leaves out of _fullLayout the axes of a panel with no trace,
    // e.g. a city with no data, and those panels must move too)
    function axis(k) { return (lay[k] && lay[k].domain) ? lay[k] : full[k]; }
    var xnames = Object.keys(lay).concat(Object.keys(full)).filter(function (k, i, all) {
      return all.indexOf(k) === i && /^xaxis\d*$/.test(k) && axis(k) && axis(k).domain;
    });
    var starts = {};
    xnames.forEach(function (k) { starts[axis(k).domain[0].toFixed(3)] = true; });
    if (Object.keys(starts).length > 1 && !isGeo) {
      var panels = xnames.map(function (k) {
        var y = "yaxis" + (axis(k).anchor || "y").slice(1);
        return { x: k, y: y, xd: axis(k).domain, yd: (axis(y) || {}).domain || [0, 1] };
      }).sort(function (a, b) { return (b.yd[1] - a.yd[1]) || (a.xd[0] - b.xd[0]); });
      var panelPx = 150, gapPx = 50, H = panels.length * panelPx + (panels.length - 1) * gapPx;
      panels.forEach(function (p, i) {
        var top = 1 - i * (panelPx + gapPx) / H, bottom = top - panelPx / H;
        up[p.x + ".domain"] = [0, 1];
        up[p.y + ".domain"] = [Math.max(bottom, 0), top];
        anns.forEach(function (a) {  // the panel's title above it
          if (a.name || a.xref !== "paper" || a.yref !== "paper" || a.__moved) { return; }
          if (Math.abs(a.y - p.yd[1]) < 0.01 && a.x >= p.xd[0] - 0.01 && a.x <= p.xd[1] + 0.01) {
            a.x = 0; a.xanchor = "left"; a.y = top; a.__moved = true;
          }
        });
      });
      anns.forEach(function (a) { delete a.__moved; });
      needPlotH = Math.max(needPlotH, H);
    }

    // horizontal charts: category labels above the rows, the plot takes the whole width
    var moved = false, catNeed = 0, stacked = [];
    Object.keys(full).filter(function (k) { return /^yaxis\d*$/.test(k); }).forEach(function (name) {
      var ax = full[name];
      if (ax.type !== "category" || !ax._categories || !ax._categories.length || ax.showticklabels === false) { return; }
      var ref = "y" + name.slice(5), xref = ax.anchor && ax.anchor !== "free" ? ax.anchor : "x";
      var isBar = gd.data.some(function (t) { return t.type === "bar" && (t.yaxis || "y") === ref; });
      var lines = 1, labels = ax._categories.map(function (c) {
        var l = rewrap(String(c), Math.floor((W - 24) / CHAR.label));
        lines = Math.max(lines, l.length);
        return { c: c, text: l.join("<br>") };
      });
      var perRow = 14 * lines + 24, axisPx = ax._length, need = perRow * labels.length;
      // the plot height at which this axis's share of it gives every row its room
      catNeed = Math.max(catNeed, need / Math.max(ax.domain[1] - ax.domain[0], 0.05));
      stacked.push({ name: name, px: need, domain: (lay[name] && lay[name].domain) || ax.domain });
      labels.forEach(function (l) {
        anns.push({ text: l.text, x: 0, xref: xref + " domain", y: l.c, yref: ref, xanchor: "left", yanchor: "bottom",
                    yshift: 10, align: "left", showarrow: false, font: { size: 11, color: "#3c4043" },
                    name: "phone-label" });
      });
      up[name + ".showticklabels"] = false;
      moved = true;
      if (isBar) { up.bargap = Math.max(0.2, 1 - 16 / perRow); }
    });
    // panels of rows one above the other (a panel per kind of figure): each gets the height its rows need, rather
    // than its desktop share, which left a one-row panel a tall empty box on a phone
    if (stacked.length > 1 && Object.keys(starts).length <= 1) {
      var gap = 72, head = 16;  // between panels: an x axis (ticks) and air; above the rows: the panel's title
      stacked.sort(function (a, b) { return b.domain[1] - a.domain[1]; });
      var total = stacked.reduce(function (n, p) { return n + p.px + head; }, 0) + gap * (stacked.length - 1), at = 0;
      stacked.forEach(function (p) {
        var top = 1 - at / total, bottom = Math.max(0, top - (head + p.px) / total);
        up[p.name + ".domain"] = [bottom, top - head / total];
        anns.forEach(function (a) {  // the panel's title above it
          if (!a.name && a.xref === "paper" && a.yref === "paper" && !a.__moved && Math.abs(a.y - p.domain[1]) < 0.01) {
            a.y = top; a.__moved = true;
          }
        });
        at += head + p.px + gap;
      });
      anns.forEach(function (a) { delete a.__moved; });
      catNeed = total;
    }
    needPlotH = Math.max(needPlotH, catNeed);
    if (moved) {
      up["margin.l"] = 12;
      // values written above a point would meet the labels: beside it instead, on its right; on its left where a
      // dotted run (a lower bound's arrow) starts at the point, which the text would otherwise cover
      var runs = {};
      (gd._fullData || []).forEach(function (t) {
        if (t.visible === true && /lines/.test(t.mode || "") && t.line && t.line.dash && t.line.dash !== "solid") {
          runs[[t.xaxis, t.yaxis, Number((t.x || [])[0]), String((t.y || [])[0])].join("|")] = true;
        }
      });
      gd.data.forEach(function (t, i) {
        if (t.textposition !== "top center") { return; }
        var f = (gd._fullData || []).filter(function (d) { return d.index === i; })[0] || t;
        var pos = Array.prototype.map.call(f.x || [], function (x, j) {
          return runs[[f.xaxis, f.yaxis, Number(x), String((f.y || [])[j])].join("|")] ? "middle left" : "middle right";
        });
        restyles.push([i, { textposition: pos.length && pos.indexOf("middle left") >= 0 ? pos : "middle right" }]);
      });
    } else if (!isGeo) {
      // tick labels in 48 px, and a y axis title (drawn turned, left of them) gets a strip of its own: the margin
      // holds it whole rather than leaving it to Plotly's automargin, which takes the room from the plot
      var yTitle = Object.keys(full).some(function (k) {
        return /^yaxis\d*$/.test(k) && full[k].visible !== false && full[k].side !== "right" &&
          stripTags(textOf(lay[k] && lay[k].title)).trim() !== "";
      });
      up["margin.l"] = Math.min((lay.margin && lay.margin.l) || 60, 48) + (yTitle ? YTITLE : 0);
    }

    fitText(gd, up, restyles, W);

    // a shape's label centred over a band near the plot's end (the shaded year's "2021") is aligned with the band's
    // inner edge rather than run out of the plot
    var shapesMoved = false, shapes = (lay.shapes || []).map(function (sh, i) {
      var fs = (full.shapes || [])[i], lab = sh.label;
      if (!fs || !lab || !lab.text || (lab.textposition || "top center") !== "top center" || !/^x\d*$/.test(fs.xref || "")) {
        return sh;
      }
      var name = axisName(fs.xref), ax = full[name];
      if (!ax || !ax.range || typeof ax.r2l !== "function") { return sh; }
      var lo = ax.r2l(ax.range[0]), hi = ax.r2l(ax.range[1]);
      var dom = up[name + ".domain"] || ax.domain;
      var len = (W - (up["margin.l"] !== undefined ? up["margin.l"] : full.margin.l) - 12) * (dom[1] - dom[0]);
      var mid = ((ax.d2l(fs.x0) + ax.d2l(fs.x1)) / 2 - lo) / (hi - lo) * len;
      var half = (stripTags(lab.text).length * 0.6 * ((lab.font && lab.font.size) || 12)) / 2 + 2;
      var where = mid + half > len ? "top right" : mid - half < 0 ? "top left" : null;
      if (!where || !(hi > lo)) { return sh; }
      shapesMoved = true;
      return Object.assign({}, sh, { label: Object.assign({}, lab, { textposition: where }) });
    });
    if (shapesMoved) { up.shapes = shapes; }

    // fewer ticks: explicit tick lists are thinned, others get an nticks that fits
    Object.keys(full).filter(function (k) { return /^[xy]axis\d*$/.test(k); }).forEach(function (name) {
      var ax = full[name], horizontal = name.charAt(0) === "x";
      if (!ax.visible || ax.type === "category" || ax.showticklabels === false) { return; }
      var len = horizontal ? W - 24 - (up["margin.l"] || 0) : ax._length;
      len *= (ax.domain[1] - ax.domain[0]);
      if (Array.isArray(ax.tickvals) && ax.tickvals.length) {
        var r = up[name + ".range"] || ax.range, log = ax.type === "log", keepV = [], keepT = [], last = -1e9;
        ax.tickvals.forEach(function (v, i) {
          var pos = ((log ? Math.log10(v) : v) - r[0]) / (r[1] - r[0]) * len;
          var text = ax.ticktext ? String(ax.ticktext[i]) : String(v);
          var w = horizontal ? stripTags(text).length * 7 + 10 : 18;
          if (pos - last >= w) { keepV.push(v); keepT.push(text); last = pos; }
        });
        up[name + ".tickvals"] = keepV;
        up[name + ".ticktext"] = keepT;
      } else if (ax.type !== "date" || horizontal) {
        up[name + ".nticks"] = Math.max(2, Math.floor(len / (horizontal ? 70 : 36)));
      }
    });

    // legend above the plot, in rows
    if (full.showlegend && lay.legend) {
      var items = gd.data.filter(function (t) { return t.showlegend !== false && t.name; });
      var rows = 1, x = 0;
      items.forEach(function (t) {
        var w = 60 + stripTags(t.name).length * 7;
        if (x + w > W - 24 && x > 0) { rows += 1; x = 0; }
        x += w;
      });
      var legendPx = rows * 24 + 10;  // a row as drawn: 20 px, more with the larger markers (Reported, Map)
      up["legend.orientation"] = "h"; up["legend.x"] = 0; up["legend.xanchor"] = "left";
      up["legend.yref"] = "container"; up["legend.yanchor"] = "top";
      up.__legendPx = legendPx;
      extraTop += legendPx;
    }

    // the title and subtitle, re-wrapped
    // the title as the figure gives it, never _fullLayout's: with no title there Plotly fills in its placeholder
    // "Click to enter Plot title", which re-written here would be drawn (an embed draws its title in the page)
    var title = textOf(lay.title);
    if (!stripTags(title).trim()) { title = ""; }
    var titleLines = 0, titlePx = 0;
    if (title) {
      var parts = title.split(/<br\s*\/?>/i), head = stripTags(parts[0]), subtitle = stripTags(parts.slice(1).join(" "));
      var h = wrapWords(head, Math.floor((W - 20) / CHAR.title)), s = subtitle ? wrapWords(subtitle, Math.floor((W - 20) / CHAR.sub)) : [];
      titleLines = h.length + s.length;
      // rendered line heights (16 px bold; the 12 px subtitle keeps the title's 16 px line height) with room below
      titlePx = h.length * 22 + s.length * 21 + 20;
      up["title.text"] = "<b>" + h.join("<br>") + "</b>" + (s.length ? "<br><span style='font-size:12px'>" + s.join("<br>") + "</span>" : "");
      up["title.font.size"] = 16; up["title.x"] = 0; up["title.xref"] = "container"; up["title.pad.l"] = 10;
      up["title.yanchor"] = "top"; up["title.yref"] = "container";
    }

    // the footer (notes and source line), re-wrapped to the width
    var footW = W - 24, oldFootLines = 0, newFootLines = 0;
    anns.forEach(function (a) {
      if (a.name !== "footer" || !a.text) { return; }
      oldFootLines = a.text.split(/<br\s*\/?>/i).length;
      var lines = rewrap(a.text, Math.floor(footW / CHAR.foot));
      newFootLines = lines.length;
      a.text = lines.join("<br>");
      a.xref = "paper"; a.x = 0;
      a.xshift = -((up["margin.l"] !== undefined ? up["margin.l"] : full.margin.l) - 10);
    });

    // panel titles at the left edge, wrapped to the width
    anns.forEach(function (a) {
      if (a.name || a.xref !== "paper" || a.x !== 0 || !a.text) { return; }
      var bold = /^<b>.*<\/b>$/.test(a.text), plainText = stripTags(a.text);
      if (plainText.length * 7.4 <= W - 24) { return; }
      var l = wrapWords(plainText, Math.floor((W - 24) / 7.4));
      a.text = bold ? "<b>" + l.join("<br>") + "</b>" : l.join("<br>");
      a.align = "left";
    });

    // (a map's colour bar is drawn under the map by its chart builder, dashboard/charts/map.py)
    extraBottom += 16 * (newFootLines - oldFootLines);

    // (a figure without a title of its own, an embed's, keeps its smaller top margin: no empty band above the plot)
    var oldTop = full.margin.t, floor = moved ? 40 : 30;
    var top = Math.max(titlePx + extraTop + 8, title ? floor : Math.min(floor, oldTop));
    // the title block was sized for the desktop: the plot starts below the new title (and legend)
    var anyTopAnn = anns.some(function (a) { return a.yref === "paper" && a.y >= 0.99 && a.name !== "footer"; });
    if (anyTopAnn) { top += 22; }
    up["margin.t"] = top;
    up["margin.b"] = full.margin.b + extraBottom;
    var plotH = full.height - oldTop - full.margin.b;
    if (isGeo) {
      plotH = geoHeight(full, W - full.margin.l - 12);  // the map fills the width, no empty bands
      geoLabelsInside(gd, full, W - full.margin.l - 12, restyles);
    }
    var height = Math.round(Math.max(plotH, needPlotH) + top + full.margin.b + extraBottom);
    up.height = height;
    if (title) { up["title.y"] = 1 - 16 / height; }
    if (up.__legendPx) { up["legend.y"] = 1 - (titlePx + 4) / height; }
    delete up.__legendPx;
    up.annotations = anns;
    // kept, so that a redraw of the same figure (Dash redraws on resize) is drawn adapted at once
    gd.__phoneCache = { key: keyOf(lay, gd.data), W: W, up: up, restyles: restyles };
    // Dash's responsive resize re-sizes the plot to its box: the box takes the new height too
    gd.style.height = height + "px";
    restyles.forEach(function (r) {  // (an array value is one per point: restyle takes it wrapped, one per trace)
      var u = {};
      Object.keys(r[1]).forEach(function (k) { u[k] = Array.isArray(r[1][k]) ? [r[1][k]] : r[1][k]; });
      Plotly.restyle(gd, u, [r[0]]);
    });
    Plotly.relayout(gd, up).then(function () { regain(gd, up); })
      .catch(function (e) { window.__phoneError = String(e); });
  }

  // text written beside its point ("more than 16,400" at the end of a lower bound) stays inside the plot: a linear or
  // log x axis is widened as far as the longest such text needs (on a phone the plot is too narrow for the desktop's
  // room); positions in axis units (log10 of the value on a log axis), where the plot's pixels are linear
  function fitText(gd, up, restyles, W) {
    var full = gd._fullLayout, ranges = {};
    var marginL = up["margin.l"] !== undefined ? up["margin.l"] : full.margin.l;
    var marginR = up["margin.r"] !== undefined ? up["margin.r"] : full.margin.r;
    (gd._fullData || []).forEach(function (t) {
      var moved = restyles.filter(function (r) { return r[0] === t.index; })[0];
      var where = moved && moved[1].textposition ? moved[1].textposition : t.textposition;
      if (t.visible !== true || t.type !== "scatter" || !/text/.test(t.mode || "") || !t.text) { return; }
      var name = axisName(t.xaxis || "x"), ax = full[name];
      if (!ax || (ax.type !== "linear" && ax.type !== "log") || !ax.range) { return; }
      var r = ranges[name] || ax.range.slice(), log = ax.type === "log";
      var len = (W - marginL - marginR) * (ax.domain[1] - ax.domain[0]);
      var glyph = 0.56 * ((t.textfont && t.textfont.size) || 12);
      var xs = t.x || [];
      for (var i = 0; i < xs.length; i++) {
        var pos = Array.isArray(where) ? where[i] : where;
        var text = Array.isArray(t.text) ? t.text[i] : t.text;
        var x = log ? Math.log10(Number(xs[i])) : Number(xs[i]);
        if (text === undefined || text === null || !isFinite(x)) { continue; }
        var k = (stripTags(String(text)).length * glyph + 12) / len;
        if (k > 0.7) { continue; }
        if (/right/.test(pos || "")) { r[1] = Math.max(r[1], r[0] + (x - r[0]) / (1 - k)); }
        if (/left/.test(pos || "")) { r[0] = Math.min(r[0], (x - k * r[1]) / (1 - k)); }
      }
      ranges[name] = r;
    });
    Object.keys(ranges).forEach(function (name) {
      var old = full[name].range;
      if (ranges[name][0] < old[0] || ranges[name][1] > old[1]) { up[name + ".range"] = ranges[name]; }
    });
  }

  // Plotly widens a margin that its legend or colour bar does not fit in (automargin), and the plot loses that
  // height: the figure grows by as much, so that the plot keeps the height it was given (a map fills the width)
  function regain(gd, up) {
    var f = gd._fullLayout;
    if (!f || !f._size || !f.margin) { return; }
    var lost = Math.max(0, f._size.t - f.margin.t) + Math.max(0, f._size.b - f.margin.b);
    if (lost < 2) { return; }
    up.height = Math.round(up.height + lost);
    gd.style.height = up.height + "px";
    Plotly.relayout(gd, { height: up.height }).catch(function (e) { window.__phoneError = String(e); });
  }

  // a city's name written right of (or centred on) a point near the map's east edge is cut off on a phone: it is
  // written left of the point instead
  function geoLabelsInside(gd, full, width, restyles) {
    var lon = full.geo && full.geo.lonaxis && full.geo.lonaxis.range;
    if (!lon || !(lon[1] > lon[0])) { return; }
    (gd._fullData || []).forEach(function (t) {
      if (t.visible !== true || t.type !== "scattergeo" || !/text/.test(t.mode || "") || !t.text || !t.lon) { return; }
      var glyph = 0.56 * ((t.textfont && t.textfont.size) || 12), changed = false;
      var pos = Array.prototype.map.call(t.lon, function (x, i) {  // (lon may be a typed array: map as a plain one)
        var p = Array.isArray(t.textposition) ? t.textposition[i] : (t.textposition || "top center");
        var text = stripTags(String(Array.isArray(t.text) ? t.text[i] : t.text));
        var px = (Number(x) - lon[0]) / (lon[1] - lon[0]) * width, textW = text.length * glyph + 8;
        var parts = String(p).split(" "), v = parts[0], h = parts[1] || "center";
        var east = width - px, need = h === "right" ? textW + 6 : h === "center" ? textW / 2 : 0;
        if (need > east) { changed = true; return v + " left"; }
        return p;
      });
      if (changed) { restyles.push([t.index, { textposition: pos }]); }
    });
  }

  // the height of a Mercator map of the geo's longitude and latitude ranges drawn `width` px wide
  function geoHeight(full, width) {
    var geo = full.geo, lon = geo.lonaxis && geo.lonaxis.range, lat = geo.lataxis && geo.lataxis.range;
    if (!lon || !lat || lon[1] === lon[0]) { return Math.round(width * 0.8); }
    var merc = function (d) { return Math.log(Math.tan(Math.PI / 4 + d * Math.PI / 360)) * 180 / Math.PI; };
    return Math.round(width * Math.abs(merc(lat[1]) - merc(lat[0])) / Math.abs(lon[1] - lon[0])) + 4;
  }

  function keyOf(layout, data) {
    return JSON.stringify([layout.meta || null, layout.title || null, layout.height || null, (data || []).length]);
  }
  function setPath(obj, path, value) {
    var keys = path.split("."), o = obj;
    for (var i = 0; i < keys.length - 1; i++) {
      if (typeof o[keys[i]] !== "object" || o[keys[i]] === null) { o[keys[i]] = {}; }
      o = o[keys[i]];
    }
    o[keys[keys.length - 1]] = value;
  }
  function wrapReact() {
    if (!window.Plotly || Plotly.__phoneWrapped) { return; }
    var react = Plotly.react;
    Plotly.react = function (gd, a, b, c) {
      var fig = a && !Array.isArray(a) && typeof a === "object" ? a : null;
      var data = fig ? fig.data : a, layout = fig ? fig.layout : b, cache = gd && gd.__phoneCache;
      if (cache && layout && data && !layout.__phone && cache.key === keyOf(layout, data) &&
          gd.clientWidth && Math.abs(gd.clientWidth - cache.W) < 2) {
        layout = JSON.parse(JSON.stringify(layout));
        data = data.map(function (t) { return Object.assign({}, t); });
        Object.keys(cache.up).forEach(function (k) { setPath(layout, k, cache.up[k]); });
        cache.restyles.forEach(function (r) {
          var t = JSON.parse(JSON.stringify(data[r[0]]));
          Object.keys(r[1]).forEach(function (k) { setPath(t, k, r[1][k]); });
          data[r[0]] = t;
        });
        layout.__phone = cache.W;
        gd.style.height = cache.up.height + "px";
        seen.add(layout);
        if (fig) { return react.call(this, gd, Object.assign({}, fig, { data: data, layout: layout })); }
        return react.call(this, gd, data, layout, c);
      }
      return react.apply(this, arguments);
    };
    Plotly.__phoneWrapped = true;
  }

  function watch(gd) {
    if (gd.__phoneWatch || typeof gd.on !== "function") { return; }
    gd.__phoneWatch = true;
    gd.on("plotly_afterplot", function () { setTimeout(function () { adapt(gd); }, 0); });
    if (gd._fullLayout && gd.data && gd.querySelector(".main-svg")) { setTimeout(function () { adapt(gd); }, 0); }
  }
  function scan() {
    if (!window.Plotly) { return; }
    wrapReact();
    document.querySelectorAll(".js-plotly-plot").forEach(watch);
  }
  if (typeof MutationObserver !== "undefined") {
    new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
  }
  document.addEventListener("DOMContentLoaded", scan);
})();

/* Phones: a page's settings start folded (components.settings), once per rendered page. */
(function () {
  function fold() {
    if (window.innerWidth > 640) { return; }
    document.querySelectorAll("details.settings:not([data-folded])").forEach(function (d) {
      d.setAttribute("data-folded", "1");
      d.open = false;
    });
  }
  if (typeof MutationObserver !== "undefined") {
    new MutationObserver(fold).observe(document.documentElement, { childList: true, subtree: true });
  }
})();
