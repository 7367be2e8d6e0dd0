// The deployable Worker as `wrangler deploy` would upload it: built with
// `wrangler deploy --dry-run --outdir`, its gzipped size (Cloudflare's free
// plan allows 3 MiB, paid 10 MiB) and its global-scope start-up time: the
// bundle imported (parsed, compiled, module scope run) in a fresh Node
// process, the median of 5. Node's V8 stands in for workerd's here; both
// parse and run the same module scope, and a cold start pays it once.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { percentile } from "./stats.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

export type BundleFigures = { bytes: number; gzip_bytes: number; gzip_mib: number; startup_ms: number; startup_samples_ms: number[] };

export function workerBundle(): BundleFigures {
  const out = mkdtempSync(join(tmpdir(), "sightline-bundle-"));
  try {
    const wrangler = join(createRequire(import.meta.url).resolve("wrangler/package.json"), "..", "bin", "wrangler.js");
    execFileSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", out], {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true", NO_COLOR: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    // Everything uploaded as code: the modules, not the source map or README.
    const files = readdirSync(out).filter((f) => /\.(m?js|wasm)$/.test(f));
    let bytes = 0;
    let gzip = 0;
    for (const f of files) {
      const data = readFileSync(join(out, f));
      bytes += data.length;
      gzip += gzipSync(data, { level: 9 }).length;
    }
    const main = join(out, files.includes("index.js") ? "index.js" : files[0]!);
    const code = `const t = performance.now(); await import(${JSON.stringify(main)}); process.stdout.write(String(performance.now() - t));`;
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`importing the built Worker failed: ${r.stderr.slice(0, 300)}`);
      samples.push(Math.round(Number(r.stdout) * 10) / 10);
    }
    return {
      bytes,
      gzip_bytes: gzip,
      gzip_mib: Math.round((gzip / 1024 / 1024) * 100) / 100,
      startup_ms: percentile(samples, 50),
      startup_samples_ms: samples,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(workerBundle(), null, 2));
