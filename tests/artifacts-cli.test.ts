import { mkdtemp, readFile, rm, stat, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { main } from "../sdk/cli/index.ts";
import { stack } from "./helpers/api";
import { makeProject, makeTeam } from "./helpers/harness";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sightline-cli-"));
  vi.stubEnv("XDG_CONFIG_HOME", join(dir, "config"));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

test("sightline login, artifact put, ls and get", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    expect(await main(["login", "--base-url", stack().url, "--key", team.key])).toBe(0);
    const cfgFile = join(dir, "config", "sightline", "config.json");
    expect((await stat(cfgFile)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(cfgFile, "utf8"))).toEqual({ baseUrl: stack().url, apiKey: team.key });

    const src = join(dir, "ds");
    await mkdir(join(src, "sub"), { recursive: true });
    await writeFile(join(src, "a.txt"), "alpha");
    await writeFile(join(src, "sub", "b.txt"), "beta");
    expect(await main(["artifact", "put", src, "--project", project.name, "--name", "ds", "--type", "dataset", "--alias", "gold"])).toBe(0);
    expect(await main(["artifact", "ls", project.name])).toBe(0);
    expect(await main(["artifact", "ls", project.name, "ds"])).toBe(0);
    expect(await main(["artifact", "get", "ds:gold", join(dir, "out"), "--project", project.name])).toBe(0);
    expect(await readFile(join(dir, "out", "sub", "b.txt"), "utf8")).toBe("beta");
    const printed = log.mock.calls.map((c) => String(c[0])).join("\n");
    expect(printed).toContain("ds\tdataset\tv1");
    expect(printed).toMatch(/v1\t9 B\t2 files\t.*gold,latest/);
  } finally {
    log.mockRestore();
  }
});
