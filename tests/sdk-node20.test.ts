import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init } from "../sdk/index.ts";
import { api, stack, uniq } from "./helpers/api";
import { makeKey, makeProject, makeTeam, type Team } from "./helpers/harness";
import { allPoints } from "./metrics-helpers";

// The SDK and the `sightline` command as a newcomer meets them: Node 20 (no
// TypeScript stripping), the built files in sdk/dist, the READMEs' snippets
// copied verbatim, and `npm install <this repository>` into another project.
// NODE20 names the Node 20 binary; its npm and npx must sit beside it.

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NODE20 = process.env.NODE20 ?? "/usr/bin/node";
const BIN20 = dirname(NODE20);
// Node 20 first, and none of our node_modules/.bin, whose `node` is Node 22.
const PATH20 = [BIN20, ...(process.env.PATH ?? "").split(delimiter).filter((p) => p && !p.includes("node_modules"))].join(delimiter);

// Under `npm test` the environment carries the outer npm's settings
// (npm_config_*, npm_package_*): a newcomer's shell has none of them.
const ownEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|NODE_OPTIONS$)/i.test(k)));

type Outcome = { code: number | null; stdout: string; stderr: string };

function exec(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...ownEnv, PATH: PATH20, npm_config_update_notifier: "false", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    p.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// The first ```js block of a README that imports the package by name.
async function snippet(readme: string): Promise<string> {
  const text = await readFile(join(ROOT, readme), "utf8");
  const block = [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('from "sightline"'));
  if (!block) throw new Error(`${readme} has no \`\`\`js block importing "sightline"`);
  return block;
}

async function sourcesNewerThanBuild(): Promise<string[]> {
  const stale: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory() && e.name !== "dist") await walk(path);
      if (!e.isFile() || !e.name.endsWith(".ts")) continue;
      const built = join(ROOT, "sdk/dist", relative(join(ROOT, "sdk"), path).replace(/\.ts$/, ".js"));
      const [src, out] = await Promise.all([stat(path), stat(built).catch(() => null)]);
      if (!out || out.mtimeMs < src.mtimeMs) stale.push(relative(ROOT, path));
    }
  };
  await walk(join(ROOT, "sdk"));
  return stale;
}

// The snippets end with console.log(run.url). The SDK reports refused
// batches on stderr without failing the script, so stderr must be empty.
function runIdFrom(out: Outcome): string {
  expect(out.code, out.stderr).toBe(0);
  expect(out.stderr).toBe("");
  const url = out.stdout.trim().split("\n").at(-1)!;
  expect(url.startsWith(`${stack().url}/runs/`), out.stdout).toBe(true);
  return decodeURIComponent(url.slice(`${stack().url}/runs/`.length));
}

let consumer: string; // another project that installed this repository
let inRepo: string; // a folder inside the repository
let team: Team;
let key: string;

beforeAll(async () => {
  const version = await exec(NODE20, ["-v"], { cwd: ROOT }).catch((e: Error) => ({ code: -1, stdout: "", stderr: e.message }));
  if (version.code !== 0 || !version.stdout.startsWith("v20.")) {
    throw new Error(`these tests need Node 20 at ${NODE20} (set NODE20=/path/to/node20/bin/node); got: ${version.stdout || version.stderr}`);
  }
  const stale = await sourcesNewerThanBuild();
  if (stale.length) throw new Error(`sdk/dist is missing or older than ${stale.join(", ")}: run \`npm run build:sdk\` (npm test does)`);

  consumer = await mkdtemp(join(tmpdir(), "sightline-consumer-"));
  await writeFile(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // A folder dependency is a symlink plus bin links: nothing to fetch.
  const install = await exec(join(BIN20, "npm"), ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", ROOT], { cwd: consumer });
  expect(install.code, install.stderr).toBe(0);

  await mkdir(join(ROOT, "tests/output"), { recursive: true });
  inRepo = await mkdtemp(join(ROOT, "tests/output/node20-"));
  team = await makeTeam();
  key = (await makeKey(team, ["read", "write"])).key;
}, 120_000);

afterAll(async () => {
  await Promise.all([consumer, inRepo].map((d) => d && rm(d, { recursive: true, force: true })));
});

const sdkEnv = () => ({ SIGHTLINE_BASE_URL: stack().url, SIGHTLINE_API_KEY: key });

describe("the SDK on Node 20, as the READMEs show it", () => {
  it("README.md's snippet, saved as train.mjs in the repository, logs 1,000 points", async () => {
    await writeFile(join(inRepo, "train.mjs"), await snippet("README.md"));
    const runId = runIdFrom(await exec(NODE20, ["train.mjs"], { cwd: inRepo, env: sdkEnv() }));

    const run = await api("GET", `/api/v1/runs/${runId}`, { creds: team.creds });
    expect(run.status, run.text).toBe(200);
    expect(run.body.run).toMatchObject({ status: "finished", config: { lr: 0.01 } });
    const points = await allPoints(team, runId, "loss");
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(points.every((p) => p.value === 1 / (p.step + 1))).toBe(true);
  });

  it("sdk/README.md's snippet, in a project that ran `npm install <repo>`, logs 3 keys × 10,000 points, a line and an update", async () => {
    await writeFile(join(consumer, "train.mjs"), await snippet("sdk/README.md"));
    const runId = runIdFrom(await exec(NODE20, ["train.mjs"], { cwd: consumer, env: sdkEnv() }));

    const run = await api("GET", `/api/v1/runs/${runId}`, { creds: team.creds });
    expect(run.status, run.text).toBe(200);
    expect(run.body.run).toMatchObject({
      name: "baseline",
      status: "finished",
      tags: ["baseline", "good"],
      config: { lr: 0.01, optimizer: "adam", epochs: 10 },
    });
    for (const k of ["loss", "acc", "train/lr"]) {
      const points = await allPoints(team, runId, k);
      expect(points, k).toHaveLength(10_000);
      expect(points.at(-1)!.step, k).toBe(9_999);
    }
    const logs = await api("GET", `/api/v1/runs/${runId}/logs`, { creds: team.creds });
    expect(logs.status, logs.text).toBe(200);
    expect(logs.body.lines.map((l: { text: string }) => l.text)).toEqual(["epoch 1 done"]);
  });

  // run.logArtifact/useArtifact load the Node-only artifacts module on first
  // use (a computed import() that browser bundlers leave alone).
  it("run.logArtifact and run.useArtifact load their module, built on Node 20 and from the sources", async () => {
    const project = await makeProject(team);
    const script = `import { init } from "sightline";
const run = await init({ project: ${JSON.stringify(project.name)}, exitHooks: false, heartbeatSeconds: 0 });
const put = await run.logArtifact("weights.txt", { name: "w", type: "model", aliases: ["best"] });
const got = await run.useArtifact("w:best", "got");
await run.finish();
console.log(JSON.stringify({ version: put.version.version, files: got.files.map((f) => f.path) }));
console.log(run.url);`;
    await writeFile(join(consumer, "artifact.mjs"), script);
    await writeFile(join(consumer, "weights.txt"), "w1");
    const out = await exec(NODE20, ["artifact.mjs"], { cwd: consumer, env: sdkEnv() });
    runIdFrom(out);
    expect(JSON.parse(out.stdout.split("\n")[0]!)).toEqual({ version: 1, files: ["weights.txt"] });
    expect(await readFile(join(consumer, "got", "weights.txt"), "utf8")).toBe("w1");

    const run = await init({ project: project.name, baseUrl: stack().url, apiKey: key, exitHooks: false, heartbeatSeconds: 0 });
    await writeFile(join(inRepo, "weights.txt"), "w2");
    expect((await run.logArtifact(join(inRepo, "weights.txt"), { name: "w", type: "model" })).version.version).toBe(2);
    expect((await run.useArtifact("w:v1", join(inRepo, "v1"))).files.map((f) => f.path)).toEqual(["weights.txt"]);
    await run.finish();
  });

  it("the same import bundles for browsers without any node: module", async () => {
    const out = await build({
      stdin: { contents: 'import { init } from "sightline"; globalThis.init = init;', resolveDir: consumer, loader: "js" },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const code = out.outputFiles[0]!.text;
    expect(code).toContain("/api/v1/projects/");
    expect(code).not.toMatch(/["']node:/);
  });
});

describe("the sightline command on Node 20 (npx, in a project that installed the repository)", () => {
  const npx = (args: string[], env: Record<string, string> = {}) =>
    exec(join(BIN20, "npx"), ["--no", "--", "sightline", ...args], { cwd: consumer, env: { XDG_CONFIG_HOME: join(consumer, "config"), ...env } });

  it("--help prints the usage", async () => {
    const out = await npx(["--help"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain("sightline login [--base-url URL] [--key KEY]");
  });

  it("login checks and saves the key; artifact put and get then use it", async () => {
    const bad = await npx(["login", "--base-url", stack().url, "--key", "sl_not_a_key"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^sightline: /);

    const login = await npx(["login", "--base-url", stack().url, "--key", key]);
    expect(login.code, login.stderr).toBe(0);
    const cfgFile = join(consumer, "config", "sightline", "config.json");
    expect((await stat(cfgFile)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(cfgFile, "utf8"))).toEqual({ baseUrl: stack().url, apiKey: key });

    const project = await makeProject(team);
    const body = `weights ${uniq()}`;
    await writeFile(join(consumer, "model.bin"), body);
    const put = await npx(["artifact", "put", "model.bin", "--project", project.name, "--name", "resnet", "--type", "model", "--alias", "best"]);
    expect(put.code, put.stderr).toBe(0);
    expect(put.stdout).toMatch(/^resnet:v1 \(1 files/);
    const get = await npx(["artifact", "get", "resnet:best", "out", "--project", project.name]);
    expect(get.code, get.stderr).toBe(0);
    expect(await readFile(join(consumer, "out", "model.bin"), "utf8")).toBe(body);
  });
});
