// node build.js — writes the partial plotly.js bundle the dashboard serves (see README.md).
const path = require('path');
const version = require('plotly.js/package.json').version;
require('esbuild').build({
  entryPoints: [path.join(__dirname, 'entry.js')],
  outfile: path.join(__dirname, '..', '..', 'dashboard', 'assets', 'vendor', 'plotly-borderstats.min.js'),
  format: 'iife', globalName: 'Plotly', bundle: true, minify: true, target: 'es2016',
  legalComments: 'eof',
  banner: { js: `/* plotly.js v${version} (MIT licence, Copyright 2012-2026 Plotly, Inc.), partial bundle: scatter, bar, scattergeo. Built by tools/plotly-bundle. */` },
  alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
  define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
  loader: { '.css': 'empty' },  // only maplibre's stylesheet for map traces, which the bundle leaves out
  logLevel: 'info',
}).catch(() => process.exit(1));
