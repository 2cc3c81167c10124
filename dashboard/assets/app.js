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
    }
  }
});
