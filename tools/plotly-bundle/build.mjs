// Builds ../../assets/plotly-atlas.min.js: plotly.js (the version pinned in package-lock.json, which
// must be the one the pinned `plotly` Python package ships) with only the traces in entry.js.
// `npm ci && npm run build`; the output is committed, so running the app needs no Node.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const { version } = JSON.parse(readFileSync(here("node_modules/plotly.js/package.json"), "utf8"));

await esbuild.build({
  entryPoints: [here("entry.js")],
  outfile: here("../../assets/plotly-atlas.min.js"),
  bundle: true,
  minify: true,
  format: "iife",
  // A classic script's top-level `var Plotly` is window.Plotly, which dcc.Graph uses when present.
  globalName: "Plotly",
  target: "es2018",
  // As plotly.js's own esbuild-config.js: no AMD, `global` is the window.
  define: { global: "window", "define.amd": "false" },
  // The only stylesheet required is MapLibre's, for map traces this bundle leaves out.
  loader: { ".css": "empty" },
  banner: { js: `/* plotly.js v${version} (scattergeo, bar, scatter) | MIT licence | built by tools/plotly-bundle */` },
  legalComments: "none",
  logLevel: "info",
});
