// sightline: log in, and put / get / list artifacts from a shell.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { logArtifact, splitRef, useArtifact } from "../artifacts.ts";
import { HttpClient } from "../client.ts";
import { configPath, loadConfig, saveConfig } from "./config.ts";
import { human, progressBar } from "./progress.ts";

const USAGE = `usage:
  sightline login [--base-url URL] [--key KEY]
  sightline artifact put <path> --project P --name N --type T [--alias A]...
  sightline artifact get <name:alias|name:vN> <dir> --project P
  sightline artifact ls <project> [name]`;

const seg = encodeURIComponent;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      project: { type: "string" }, name: { type: "string" }, type: { type: "string" },
      alias: { type: "string", multiple: true }, "base-url": { type: "string" }, key: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [cmd, sub, ...rest] = positionals;
  if (values.help || !cmd) return usage(0);
  if (cmd === "login") {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const baseUrl = values["base-url"] ?? ((await rl.question("Sightline URL [http://127.0.0.1:8787]: ")) || "http://127.0.0.1:8787");
    const apiKey = values.key ?? (await rl.question("API key: "));
    rl.close();
    // Check the key before keeping it.
    await new HttpClient({ baseUrl, apiKey, retry: { maxAttempts: 2 } }).request("GET", "/api/v1/me");
    await saveConfig({ baseUrl, apiKey });
    console.log(`logged in; saved to ${configPath()}`);
    return 0;
  }
  if (cmd !== "artifact") return usage(2);
  const http = new HttpClient(await loadConfig());
  if (sub === "put") {
    const [path] = rest;
    if (!path || !values.project || !values.name || !values.type) return usage(2);
    const out = await logArtifact(http, null, path, {
      project: values.project, name: values.name, type: values.type, aliases: values.alias, onProgress: progressBar("upload"),
    });
    console.log(`${values.name}:v${out.version.version} (${out.version.file_count} files, ${human(out.totalBytes)}; sent ${human(out.uploadedBytes)}) aliases: ${out.version.aliases.join(", ")}`);
    return 0;
  }
  if (sub === "get") {
    const [ref, dir] = rest;
    if (!ref || !dir || !values.project) return usage(2);
    const out = await useArtifact(http, ref, dir, { project: values.project, onProgress: progressBar("download") });
    console.log(`${splitRef(ref)[0]}:v${out.version.version} → ${out.dir} (${out.files.length} files, verified)`);
    return 0;
  }
  if (sub === "ls") {
    const [project, name] = rest;
    if (!project) return usage(2);
    if (!name) {
      const res = await http.request<{ artifacts: { name: string; type: string; latest_version: number }[] }>("GET", `/api/v1/projects/${seg(project)}/artifacts`);
      for (const a of res.artifacts) console.log(`${a.name}\t${a.type}\tv${a.latest_version}`);
    } else {
      const res = await http.request<{ versions: { version: number; size: number; file_count: number; aliases: string[]; committed_at: string }[] }>(
        "GET", `/api/v1/projects/${seg(project)}/artifacts/${seg(name)}`,
      );
      for (const v of res.versions) console.log(`v${v.version}\t${human(v.size)}\t${v.file_count} files\t${v.committed_at}\t${v.aliases.join(",")}`);
    }
    return 0;
  }
  return usage(2);
}

function usage(code: number): number {
  (code ? console.error : console.log)(USAGE);
  return code;
}
