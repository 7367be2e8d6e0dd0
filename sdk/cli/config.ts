import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export type CliConfig = { baseUrl: string; apiKey: string };

export const configPath = () =>
  join(process.env.XDG_CONFIG_HOME || join(homedir(), ".config"), "sightline", "config.json");

// The key is a secret: the file is written owner-only (0600), its folder 0700.
export async function saveConfig(cfg: CliConfig, path = configPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, JSON.stringify(cfg, null, 2) + "\n", { mode: 0o600 });
  await chmod(path, 0o600);
}

// Environment variables win, so CI can run without a login.
export async function loadConfig(path = configPath()): Promise<CliConfig> {
  const saved = await readFile(path, "utf8").then((t) => JSON.parse(t) as Partial<CliConfig>, () => ({}) as Partial<CliConfig>);
  const baseUrl = process.env.SIGHTLINE_BASE_URL ?? saved.baseUrl;
  const apiKey = process.env.SIGHTLINE_API_KEY ?? saved.apiKey;
  if (!baseUrl || !apiKey) throw new Error("not logged in: run `sightline login` (or set SIGHTLINE_BASE_URL and SIGHTLINE_API_KEY)");
  return { baseUrl, apiKey };
}
