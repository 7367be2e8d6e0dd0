// Builds the dashboard SPA (dashboard/src) into dashboard/dist: one minified,
// content-hashed JS bundle and CSS file, and an index.html that names them.
// Runs as a script (`npm run build:dashboard`) or through buildDashboard().
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));
const dist = `${here}dist`;
// The first page's JavaScript must stay small: people open this all day.
const JS_BUDGET_GZIP = 250 * 1024;

export async function buildDashboard({ quiet = false } = {}) {
  // Other test runs may be serving dist right now (the tree is shared): write
  // the new files next to the old, swap index.html atomically, then prune.
  mkdirSync(`${dist}/assets`, { recursive: true });
  const result = await build({
    entryPoints: [`${here}src/main.tsx`],
    bundle: true,
    minify: true,
    sourcemap: false,
    format: "esm",
    target: ["chrome110", "firefox110", "safari16"],
    jsx: "automatic",
    jsxImportSource: "preact",
    outdir: `${dist}/assets`,
    entryNames: "[name]-[hash]",
    assetNames: "[name]-[hash]",
    metafile: true,
    logLevel: "warning",
    legalComments: "none",
  });
  const outputs = Object.keys(result.metafile.outputs);
  const js = outputs.filter((f) => f.endsWith(".js"));
  const css = outputs.filter((f) => f.endsWith(".css"));
  const asset = (f) => `/assets/${basename(f)}`;
  const template = readFileSync(`${here}src/index.html`, "utf8");
  const html = template
    .replace("<!--css-->", css.map((f) => `<link rel="stylesheet" href="${asset(f)}">`).join(""))
    .replace("<!--js-->", js.map((f) => `<script type="module" src="${asset(f)}"></script>`).join(""));
  // Cloudflare's static assets read _headers: hashed files are cached forever.
  copyFileSync(`${here}src/_headers`, `${dist}/_headers`);
  writeFileSync(`${dist}/index.html.tmp`, html);
  renameSync(`${dist}/index.html.tmp`, `${dist}/index.html`);
  const keep = new Set(outputs.map((f) => basename(f)));
  for (const f of readdirSync(`${dist}/assets`)) if (!keep.has(f)) rmSync(`${dist}/assets/${f}`, { force: true });
  const gz = js.reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0);
  const raw = js.reduce((n, f) => n + readFileSync(f).length, 0);
  if (!quiet) {
    console.log(`dashboard: ${js.map(asset).join(", ")} — ${(raw / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped (budget ${JS_BUDGET_GZIP / 1024} KB)`);
  }
  if (gz > JS_BUDGET_GZIP) throw new Error(`dashboard JavaScript is ${gz} bytes gzipped, over the ${JS_BUDGET_GZIP} byte budget`);
  return { js: js.map(asset), css: css.map(asset), gzipBytes: gz, rawBytes: raw };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildDashboard();
