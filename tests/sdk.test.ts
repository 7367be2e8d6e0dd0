import { describe, expect, it } from "vitest";
import { decodeValue, init, SightlineError, type InitOptions } from "../sdk/index.ts";
import { api, stack } from "./helpers/api";
import { makeProject, makeTeam, type Team } from "./helpers/harness";
import { allPoints } from "./metrics-helpers";

// The SDK against the real Worker, Postgres and contract (docs/api/tracking.md).
// Its retry logic is tested against a misbehaving server in sdk-retry.test.ts.

const opts = (team: Team, project: string, extra: Partial<InitOptions> = {}): InitOptions => ({
  project,
  baseUrl: stack().url,
  apiKey: team.key,
  exitHooks: false,
  heartbeatSeconds: 0,
  ...extra,
});

type Point = Awaited<ReturnType<typeof allPoints>>[number];

const wire = (v: number) => (Number.isFinite(v) ? v : String(v));

describe("SDK end to end", () => {
  it("logs 20,000 points over several keys with NaN/±Infinity and reads every one back exactly", async () => {
    const team = await makeTeam();
    const project = await makeProject(team);
    const run = await init(opts(team, project.name, { name: "e2e", config: { lr: 0.01, optimizer: "adam" }, tags: ["sdk"], notes: "n" }));
    expect(run.id).toMatch(/^run_/);
    expect(run.url).toBe(`${stack().url}/runs/${run.id}`);

    const keys = ["train/loss", "train/acc", "lr", "eval x", "grad.norm"];
    const expected = new Map<string, Point[]>(keys.map((k) => [k, []]));
    const specials = [NaN, Infinity, -Infinity];
    const t0 = 1_700_000_000_000;
    for (let step = 0; step < 4_000; step++) {
      const row: Record<string, number> = {};
      keys.forEach((k, i) => (row[k] = step % 101 === i ? specials[(step + i) % 3]! : Math.sin(step * (i + 1)) * 10 ** i));
      run.log(row, { step, timestamp: t0 + step });
      for (const k of keys) expected.get(k)!.push({ step, value: wire(row[k]!), timestamp: t0 + step });
    }
    const final = await run.finish();
    expect(final.status).toBe("finished");
    expect(run.errors).toEqual([]);
    expect(run.stats().metrics).toMatchObject({ sent: 20_000, rejected: 0, dropped: 0, unsent: 0 });

    const got = await api("GET", `/api/v1/runs/${run.id}`, { creds: team.creds });
    expect(got.status, got.text).toBe(200);
    for (const k of keys) {
      const points = await allPoints(team, run.id, k);
      expect(points).toEqual(expected.get(k));
      // The summary: last at the highest step, min/max over non-NaN values.
      const values = points.map((p) => decodeValue(p.value)).filter((v) => !Number.isNaN(v));
      expect(got.body.run.summary[k]).toEqual({
        last: points.at(-1)!.value,
        min: wire(Math.min(...values)),
        max: wire(Math.max(...values)),
        step: 3_999,
        count: 4_000,
      });
    }
    const list = await api("GET", `/api/v1/runs/${run.id}/metrics`, { creds: team.creds });
    expect(list.status, list.text).toBe(200);
    expect(list.body.metrics.map((m: { key: string; count: number }) => [m.key, m.count]).sort()).toEqual(keys.map((k) => [k, 4_000]).sort());
  });

  it("creates the run with its fields, updates it, sends console lines and heartbeats, and finishes with a status", async () => {
    const team = await makeTeam();
    const project = await makeProject(team);
    const run = await init(
      opts(team, project.id, { name: "fields", config: { lr: 0.1 }, tags: ["a"], git: { commit: "abc", branch: "main" }, host: "gpu-1", heartbeatSeconds: 1, gzip: false }),
    );
    expect(run.data).toMatchObject({ name: "fields", status: "running", config: { lr: 0.1 }, tags: ["a"], host: "gpu-1", project_id: project.id });
    const before = run.data.heartbeat_at as string;

    const updated = await run.update({ tags: ["a", "b"], notes: "tuned", config: { batch_size: 64 } });
    expect(updated).toMatchObject({ tags: ["a", "b"], notes: "tuned", config: { lr: 0.1, batch_size: 64 } });

    run.logConsole("epoch 1\nepoch 2\n");
    run.logConsole("warning: slow", "stderr");
    run.log({ loss: 1 });
    run.log({ loss: 0.5 });
    await new Promise((r) => setTimeout(r, 1_500));
    const mid = await api("GET", `/api/v1/runs/${run.id}`, { creds: team.creds });
    expect(Date.parse(mid.body.run.heartbeat_at)).toBeGreaterThan(Date.parse(before));

    const final = await run.finish({ status: "failed", exitCode: 3 });
    expect(final).toMatchObject({ status: "failed", exit_code: 3 });
    expect(run.errors).toEqual([]);
    const logs = await api("GET", `/api/v1/runs/${run.id}/logs`, { creds: team.creds });
    expect(logs.status, logs.text).toBe(200);
    expect(logs.body.lines.map((l: { text: string; stream: string }) => [l.text, l.stream])).toEqual([
      ["epoch 1", "stdout"],
      ["epoch 2", "stdout"],
      ["warning: slow", "stderr"],
    ]);
    const points = await allPoints(team, run.id, "loss");
    expect(points.map((p) => [p.step, p.value])).toEqual([
      [0, 1],
      [1, 0.5],
    ]);
  });

  it("creates a project named in init() that does not exist yet, as W&B does", async () => {
    const team = await makeTeam();
    const run = await init(opts(team, `new-${Date.now().toString(36)}`));
    await run.finish();
    const res = await api("GET", `/api/v1/projects/${run.data.project_id}`, { creds: team.creds });
    expect(res.status, res.text).toBe(200);
  });

  it("surfaces a bad key as a SightlineError from init() without retrying", async () => {
    const err = await init({ project: "p", baseUrl: stack().url, apiKey: "sl_not_a_real_key", exitHooks: false }).catch((e) => e);
    expect(err).toBeInstanceOf(SightlineError);
    expect(err.status).toBe(401);
    expect(err.code).toBe("unauthenticated");
  });
});
