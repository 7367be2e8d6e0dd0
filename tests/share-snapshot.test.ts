import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, test } from "vitest";
import { api, stack } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeProject, makeTeam, type Team } from "./helpers/harness";
import { sqlReport } from "./helpers/routes/share-links";
import { runCron } from "./helpers/scheduled";
import { ingestOk, type Series } from "./metrics-helpers";

// Frozen share links: the data as it was when shared, stored once in the
// object store, answered exactly (worker/services/share-snapshot.ts).

let team: Team;
let project: string;
let runA: string; // 70,000 points of loss (more than one stored part), NaN and ±Infinity, a rewritten step range, jittered times
let runB: string; // a short loss series
let runC: string; // in a runs table (summary.acc only)
let reportId: string;

function s3() {
  const s = stack().s3;
  return new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
  });
}

async function keysUnder(prefix: string): Promise<string[]> {
  const out = await s3().send(new ListObjectsV2Command({ Bucket: stack().s3.bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

async function newRun(t: Team) {
  const res = await api("POST", `/api/v1/projects/${project}/runs`, { creds: t.creds, json: {} });
  expect(res.status, res.text).toBe(201);
  return res.body.run.id as string;
}

async function finish(run: string) {
  const res = await api("POST", `/api/v1/runs/${run}/finish`, { creds: team.creds, json: { status: "finished" } });
  expect(res.status, res.text).toBeLessThan(300);
}

// Points steps [from, to) in batches of 10,000 (the ingest limit).
async function logRange(run: string, key: string, from: number, to: number, value: (step: number) => number | string, seq0: number) {
  let seq = seq0;
  for (let s = from; s < to; s += 10_000) {
    const steps = Array.from({ length: Math.min(10_000, to - s) }, (_, i) => s + i);
    const series: Series = { steps, values: steps.map(value), timestamps: steps.map((st) => 1_700_000_000_000 + st * 10 + ((st * 7919) % 13)) };
    await ingestOk(team, run, seq++, { [key]: series });
  }
  return seq;
}

const spiky = (st: number): number | string => (st === 12_345 ? "NaN" : st === 33_333 ? "Infinity" : st === 44_444 ? "-Infinity" : Math.sin(st / 500) + (st % 997 === 0 ? 50 : 0));

async function share(body: Record<string, unknown>, report = reportId) {
  const res = await api("POST", `/api/v1/reports/${report}/share-links`, { creds: team.creds, json: body });
  expect(res.status, res.text).toBe(201);
  return res.body as { link: Record<string, any>; token: string };
}

const read = async (token: string, path: string) => {
  const res = await api("GET", path, { creds: { token } });
  return { status: res.status, body: res.body };
};

// Every page of a key's points through the link.
async function pages(token: string, run: string, key: string, q = "") {
  const out: unknown[] = [];
  let cursor: number | null = null;
  do {
    const res: { status: number; body: any } = await read(token, `/api/v1/runs/${run}/metrics/points?key=${key}&limit=7777${q}${cursor === null ? "" : `&cursor=${cursor}`}`);
    if (res.status !== 200) return res;
    out.push(...res.body.points);
    cursor = res.body.next_cursor;
  } while (cursor !== null);
  return { status: 200, body: out };
}

// What the share page reads, by name.
const views = (a: string, b: string, c: string) => ({
  runA: (t: string) => read(t, `/api/v1/runs/${a}`),
  runB: (t: string) => read(t, `/api/v1/runs/${b}`),
  runC: (t: string) => read(t, `/api/v1/runs/${c}`),
  metricsA: (t: string) => read(t, `/api/v1/runs/${a}/metrics`),
  pointsA: (t: string) => pages(t, a, "loss"),
  pointsAZoom: (t: string) => pages(t, a, "loss", "&start=30000&end=45000"),
  pointsB: (t: string) => pages(t, b, "loss"),
  buckets: (t: string) => read(t, `/api/v1/metrics/buckets?run=${a}&run=${b}&key=loss&buckets=300`),
  bucketsZoom: (t: string) => read(t, `/api/v1/metrics/buckets?run=${a}&run=${b}&key=loss&buckets=97&start=12000&end=45001`),
  bucketsTime: (t: string) => read(t, `/api/v1/metrics/buckets?run=${a}&key=loss&buckets=211&x=time`),
  bucketsTimeZoom: (t: string) => read(t, `/api/v1/metrics/buckets?run=${a}&key=loss&buckets=50&x=time&start=1700000100000&end=1700000400000`),
  bucketsOneStep: (t: string) => read(t, `/api/v1/metrics/buckets?run=${a}&key=loss&buckets=5&start=33333&end=33333`),
  bucketsPast: (t: string) => read(t, `/api/v1/metrics/buckets?run=${a}&key=loss&buckets=5&start=900000&end=900100`),
});

beforeAll(async () => {
  team = await makeTeam("Frozen", { plan: "enterprise" });
  project = (await makeProject(team)).id;
  [runA, runB, runC] = [await newRun(team), await newRun(team), await newRun(team)];
  let seq = await logRange(runA, "loss", 0, 70_000, spiky, 0);
  // A rewrite of steps already logged (last write wins, as every read).
  await logRange(runA, "loss", 20_000, 21_000, (st) => -st, seq);
  await ingestOk(team, runA, 100, { acc: { steps: [0, 1], values: [0.1, 0.2] } });
  await ingestOk(team, runB, 0, { loss: { steps: [0, 5, 10, 20], values: [4, 3, "NaN", 1] } });
  await ingestOk(team, runC, 0, { acc: { steps: [0, 1, 2], values: [0.1, 0.5, 0.9] }, loss: { steps: [0], values: [9] } });
  for (const r of [runA, runB, runC]) await finish(r);
  reportId = await sqlReport(team.id, team.userId, project, [
    { type: "chart", id: "c", runs: [runA, runB], keys: ["loss"] },
    { type: "runs_table", id: "t", runs: [runC], columns: ["name", "summary.acc"] },
  ]);
}, 240_000);

describe("a frozen link", () => {
  test("answers exactly as a live link did when shared, and keeps answering so after edits, new points and deletion", async () => {
    const live = await share({});
    const frozen = await share({ frozen: true });
    expect(frozen.link).toMatchObject({ frozen: true, frozen_version: 1 });
    expect(frozen.link.snapshot_bytes).toBeGreaterThan(1000);
    const v = views(runA, runB, runC);
    const atShare: Record<string, unknown> = {};
    for (const [name, get] of Object.entries(v)) {
      const [l, f] = [await get(live.token), await get(frozen.token)];
      expect(l.status, `${name}: ${JSON.stringify(l.body).slice(0, 300)}`).toBe(200);
      expect(f, name).toEqual(l);
      atShare[name] = f;
    }
    // The snapshot holds every point: the rewrite won, the spikes survived.
    const all = (atShare.pointsA as { body: { step: number; value: unknown }[] }).body;
    expect(all).toHaveLength(70_000);
    expect(all[20_500]).toMatchObject({ step: 20_500, value: -20_500 });
    expect(all[12_345]!.value).toBe("NaN");
    expect(all[33_333]!.value).toBe("Infinity");
    expect((atShare.runC as any).body.run.summary).toEqual({ acc: expect.any(Object) });

    // Later: more points, a rewrite, an edit, points lost to retention, a run deleted.
    await logRange(runA, "loss", 70_000, 71_000, () => 7, 200);
    await logRange(runA, "loss", 30_000, 30_100, () => 1e6, 300);
    expect((await api("PATCH", `/api/v1/runs/${runA}`, { creds: team.creds, json: { name: "renamed", notes: "changed" } })).status).toBe(200);
    await sql("delete from metric_chunks where team_id = $1 and series_id = (select id from metric_series where team_id = $1 and run_id = $2 and key = 'loss')", [team.id, runB]);
    await sql("delete from runs where team_id = $1 and id = $2", [team.id, runC]);

    for (const [name, get] of Object.entries(v)) expect(await get(frozen.token), name).toEqual(atShare[name]);
    // ...while the live link shows today's data.
    expect((await v.runA(live.token)).body.run.name).toBe("renamed");
    expect((await v.pointsA(live.token)).body).toHaveLength(71_000);
    expect(await v.bucketsZoom(live.token)).not.toEqual(atShare.bucketsZoom);
    expect((await v.pointsB(live.token)).body).toEqual([]);
    expectError(await api("GET", `/api/v1/runs/${runC}`, { creds: { token: live.token } }), 404, "not_found");
    // Scope still holds for frozen links: another key or run is a 404.
    expectError(await api("GET", `/api/v1/runs/${runA}/metrics/points?key=acc`, { creds: { token: frozen.token } }), 404, "not_found");
    expectError(await api("GET", `/api/v1/metrics/buckets?run=${runA}&key=acc`, { creds: { token: frozen.token } }), 404, "not_found");
    expectError(await api("GET", `/api/v1/runs/${runC}/metrics/points?key=loss`, { creds: { token: frozen.token } }), 404, "not_found");
    // Bad input is still a 400 in the envelope.
    expectError(await api("GET", `/api/v1/runs/${runA}/metrics/points?key=loss&limit=0`, { creds: { token: frozen.token } }), 400, "invalid_argument");
    expectError(await api("GET", `/api/v1/metrics/buckets?run=${runA}&key=loss&start=9&end=3`, { creds: { token: frozen.token } }), 400, "invalid_argument");
    expectError(await api("GET", `/api/v1/metrics/buckets?run=${runA}&key=loss&buckets=x`, { creds: { token: frozen.token } }), 400, "invalid_argument");
  }, 240_000);

  test("is stored once: two links of the same content share one snapshot, which goes when the last live one ends", async () => {
    const t = await makeTeam("Once", { plan: "enterprise" });
    const p = (await makeProject(t)).id;
    const run = (await api("POST", `/api/v1/projects/${p}/runs`, { creds: t.creds, json: {} })).body.run.id as string;
    await ingestOk(t, run, 0, { loss: { steps: [0, 1, 2], values: [3, 2, 1] } });
    const rpt = await sqlReport(t.id, t.userId, p, [{ type: "chart", id: "c", runs: [run], keys: ["loss"] }]);
    const mk = async () => {
      const res = await api("POST", `/api/v1/reports/${rpt}/share-links`, { creds: t.creds, json: { frozen: true } });
      expect(res.status, res.text).toBe(201);
      return res.body as { link: { id: string; snapshot_bytes: number }; token: string };
    };
    const [one, two, three] = [await mk(), await mk(), await mk()];
    const rows = await sql<{ snapshot_key: string }>("select snapshot_key from share_links where team_id = $1 order by created_at", [t.id]);
    expect(new Set(rows.map((r) => r.snapshot_key)).size).toBe(1);
    const key = rows[0]!.snapshot_key;
    expect(key).toMatch(new RegExp(`^t/${t.id}/snapshots/[0-9a-f]{64}$`));
    expect(one.link.snapshot_bytes).toBe(two.link.snapshot_bytes);
    const stored = await keysUnder(`t/${t.id}/snapshots/`);
    expect(stored.sort()).toEqual([key, `${key}.d/0`]);

    // New data: a new link stores a new snapshot; the old links keep theirs.
    await ingestOk(t, run, 1, { loss: { steps: [3], values: [0] } });
    const four = await mk();
    expect((await keysUnder(`t/${t.id}/snapshots/`)).length).toBe(4);
    const pts = async (token: string) => (await api("GET", `/api/v1/runs/${run}/metrics/points?key=loss`, { creds: { token } })).body.points.length;
    expect([await pts(one.token), await pts(four.token)]).toEqual([3, 4]);

    const revoke = (id: string) => api("DELETE", `/api/v1/share-links/${id}`, { creds: t.creds });
    expect((await revoke(one.link.id)).status).toBe(204);
    expect(await keysUnder(key)).toHaveLength(2); // two and three still show it
    expect(await pts(two.token)).toBe(3);
    expect((await revoke(two.link.id)).status).toBe(204);
    // The last live link expires: the cron takes the snapshot.
    await sql("update share_links set expires_at = now() - interval '1 second' where id = $1", [three.link.id]);
    await runCron();
    expect(await keysUnder(key)).toEqual([]);
    const left = await sql<{ id: string; snapshot_key: string | null }>("select id, snapshot_key from share_links where team_id = $1", [t.id]);
    expect(left.filter((r) => r.snapshot_key === key)).toEqual([]);
    // The newer snapshot still stands for its live link.
    expect(await pts(four.token)).toBe(4);

    // Team deletion takes every snapshot under the team's prefix.
    await sql("update teams set deleting_at = now() - interval '1 hour' where id = $1", [t.id]);
    for (let i = 0; i < 4 && (await keysUnder(`t/${t.id}/snapshots/`)).length; i++) await runCron();
    expect(await keysUnder(`t/${t.id}/snapshots/`)).toEqual([]);
  }, 120_000);

  test("over the limit is refused with 413 naming it; nothing is stored", async () => {
    const t = await makeTeam("Big", { plan: "enterprise" });
    const p = (await makeProject(t)).id;
    const runs: string[] = [];
    for (let i = 0; i < 21; i++) runs.push((await api("POST", `/api/v1/projects/${p}/runs`, { creds: t.creds, json: {} })).body.run.id);
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    const rpt = await sqlReport(t.id, t.userId, p, [{ type: "chart", id: "c", runs, keys }]);
    const res = await api("POST", `/api/v1/reports/${rpt}/share-links`, { creds: t.creds, json: { frozen: true } });
    expectError(res, 413, "payload_too_large");
    expect(res.body.error.message).toMatch(/^frozen: .*1050 .*at most 1000/);
    expect(await sql("select 1 from share_links where team_id = $1", [t.id])).toEqual([]);
    expect(await keysUnder(`t/${t.id}/snapshots/`)).toEqual([]);
    // Live sharing of the same report is fine.
    expect((await api("POST", `/api/v1/reports/${rpt}/share-links`, { creds: t.creds, json: {} })).status).toBe(201);
  }, 120_000);

  test("10 runs × 100,000 points: shared frozen, every bucket exact, in parts the Worker reads one by one", async () => {
    const t = await makeTeam("Wide", { plan: "enterprise" });
    const p = (await makeProject(t)).id;
    const runs: string[] = [];
    for (let i = 0; i < 10; i++) runs.push((await api("POST", `/api/v1/projects/${p}/runs`, { creds: t.creds, json: {} })).body.run.id);
    await Promise.all(
      runs.map(async (run, r) => {
        for (let b = 0; b < 10; b++) {
          const steps = Array.from({ length: 10_000 }, (_, i) => b * 10_000 + i);
          await ingestOk(t, run, b, { loss: { steps, values: steps.map((st) => Math.cos(st / 997 + r) + (st === 77_777 ? 1e9 : 0)) } });
        }
      }),
    );
    for (const run of runs) expect((await api("POST", `/api/v1/runs/${run}/finish`, { creds: t.creds, json: { status: "finished" } })).status).toBe(200);
    const rpt = await sqlReport(t.id, t.userId, p, [{ type: "chart", id: "c", runs, keys: ["loss"] }]);
    const mk = async (frozen: boolean) => {
      const res = await api("POST", `/api/v1/reports/${rpt}/share-links`, { creds: t.creds, json: { frozen } });
      expect(res.status, res.text).toBe(201);
      return res.body as { link: { snapshot_bytes: number | null }; token: string };
    };
    const started = Date.now();
    const frozen = await mk(true);
    console.log(`frozen link over 10 × 100k points: created in ${Date.now() - started} ms, ${frozen.link.snapshot_bytes} bytes`);
    const live = await mk(false);
    // Two parts a run (65,536 points each at most).
    expect((await keysUnder(`t/${t.id}/snapshots/`)).length).toBe(1 + 10 * 2);
    const qs = runs.map((r) => `run=${r}`).join("&");
    for (const q of ["buckets=1000", "buckets=333&start=70000&end=80000", "buckets=7&start=77777&end=77777", "buckets=500&x=time"]) {
      const [l, f] = await Promise.all([live, frozen].map((k) => api("GET", `/api/v1/metrics/buckets?${qs}&key=loss&${q}`, { creds: { token: k.token } })));
      expect(l!.status, l!.text).toBe(200);
      expect(f!.body, q).toEqual(l!.body);
      expect(f!.body.series).toHaveLength(10);
    }
    for (const [name, k] of [["live", live], ["frozen", frozen]] as const) {
      const t0 = Date.now();
      for (let i = 0; i < 5; i++) expect((await api("GET", `/api/v1/metrics/buckets?${qs}&key=loss&buckets=1000`, { creds: { token: k.token } })).status).toBe(200);
      console.log(`${name} link, buckets over 10 × 100k points (warm): ${((Date.now() - t0) / 5).toFixed(0)} ms a request`);
    }
  }, 400_000);

  test("bad input to the share-link routes → 400 in the envelope", async () => {
    expectError(await api("DELETE", `/api/v1/share-links/${"x".repeat(65)}`, { creds: team.creds }), 400, "invalid_argument");
    expectError(await api("POST", `/api/v1/reports/${reportId}/share-links`, { creds: team.creds, json: { frozen: 1 } }), 400, "invalid_argument");
    expectError(await api("POST", `/api/v1/reports/${reportId}/share-links`, { creds: team.creds, json: { expires_in_days: 1.5 } }), 400, "invalid_argument");
    expectError(await api("POST", `/api/v1/reports/${"r".repeat(65)}/share-links`, { creds: team.creds, json: {} }), 400, "invalid_argument");
  });
});
