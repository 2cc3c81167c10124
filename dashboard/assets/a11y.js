/* Accessibility repairs of Dash's own controls (WCAG 2.1 AA; checked by axe-core in tests/browser/test_axe.py).
   Dash 4 draws them with ARIA that screen readers and axe reject; this corrects the attributes in place, once per
   element and again whenever Dash redraws one (a MutationObserver). It never adds text: names come from the
   page's own <label>/<legend> elements and table captions.
   - dcc.RadioItems / dcc.Checklist: a role="listbox" of role="option" labels around native radios/checkboxes
     (interactive controls nested in options, a listbox without a name). The native inputs carry the meaning:
     the list becomes a named radiogroup/group and the labels plain labels.
   - dcc.Dropdown: Tab lands on an aria-hidden proxy input that forwards focus to the real button. The button
     itself takes Tab (the proxy leaves the tab order), and its name starts with the control's label.
   - dcc.Slider / RangeSlider: each thumb (role="slider") is named by the control's label.
   - a table that scrolls sideways in its own box (.table-wrap) is reachable by Tab, named by its caption. */
(function () {
  "use strict";
  var uid = 0;

  function idOf(el) {
    if (!el.id) { uid += 1; el.id = "a11y-name-" + uid; }
    return el.id;
  }

  function set(el, name, value) {
    if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }

  /* The <label for=id>, else the first label or legend of the control around `el` (never one inside it). */
  function nameOf(el) {
    var id = el.id;
    if (id) {
      var labels = document.querySelectorAll("label[for]");
      for (var i = 0; i < labels.length; i++) {
        if (labels[i].htmlFor === id) { return labels[i]; }
      }
    }
    var box = el.parentElement && el.parentElement.closest(".control, fieldset");
    if (!box) { return null; }
    var kids = box.children;
    for (var k = 0; k < kids.length; k++) {
      if ((kids[k].tagName === "LABEL" || kids[k].tagName === "LEGEND") && !kids[k].contains(el)) { return kids[k]; }
    }
    return null;
  }

  function repair() {
    document.querySelectorAll(".dash-options-list").forEach(function (list) {
      set(list, "role", list.classList.contains("dash-radioitems") ? "radiogroup" : "group");
      var label = nameOf(list);
      if (label) { set(list, "aria-labelledby", idOf(label)); }
    });
    document.querySelectorAll(".dash-options-list-option[role], .dash-options-list-option[aria-selected]")
      .forEach(function (o) { o.removeAttribute("role"); o.removeAttribute("aria-selected"); });

    document.querySelectorAll(".dash-dropdown-focus-target").forEach(function (proxy) {
      set(proxy, "tabindex", "-1");
      var button = proxy.nextElementSibling;
      if (!button || button.tagName !== "BUTTON") { return; }
      set(button, "tabindex", "0");
      var label = nameOf(button);
      var by = (button.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      if (label && by[0] !== idOf(label)) {
        set(button, "aria-labelledby", [label.id].concat(by.filter(function (x) { return x !== label.id; })).join(" "));
      }
    });

    document.querySelectorAll(".dash-slider-thumb[role=slider]").forEach(function (thumb) {
      var box = thumb.closest("[id]");
      var label = box && nameOf(box);
      if (label) { set(thumb, "aria-labelledby", idOf(label)); }
    });

    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var caption = wrap.querySelector("caption");
      // the page's own tables name themselves (tabIndex, role, aria-label): only a callback's table is done here
      if (!caption || (wrap.hasAttribute("tabindex") && !wrap.hasAttribute("data-a11y"))) { return; }
      set(wrap, "data-a11y", "");
      set(wrap, "tabindex", "0");
      set(wrap, "role", "region");
      set(wrap, "aria-labelledby", idOf(caption));
    });
  }

  var queued = false;
  function later() {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () { queued = false; repair(); });
  }

  function start() {
    repair();
    new window.MutationObserver(later).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["role", "aria-selected", "tabindex"]
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
