'use strict';
// The trace types the dashboard's chart builders use (dashboard/charts/*). A chart that needs another
// type fails tests/test_plotly_bundle.py until it is added here and the bundle rebuilt.
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/scattergeo')]);
module.exports = Plotly;
