import { expect, test } from "vitest";
import { expectError, makeTeam } from "./helpers/harness";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { allPoints, buckets, ingestOk, json, newRun, compactRun, type Series } from "./metrics-helpers";
import { Reference, rng } from "./metrics-reference";

// Random batches: mostly appends, some out-of-order and repeated steps, NaN
// and ±Infinity, sent in shuffled seq order so later seqs sometimes arrive first.
function randomBatches(seed: number, batches: number) {
  const r = rng(seed);
  const out: { seq: number; s: Series }[] = [];
  let next = 0;
  for (let seq = 0; seq < batches; seq++) {
    const n = 1 + Math.floor(r() * (r() < 0.3 ? 5 : 400));
    const steps: number[] = [];
    const values: (number | string)[] = [];
    const timestamps: number[] = [];
    for (let i = 0; i < n; i++) {
      const step = r() < 0.15 ? Math.floor(r() * (next + 1)) : next++;
      steps.push(step);
      const u = r();
      values.push(u < 0.03 ? "NaN" : u < 0.04 ? "Infinity" : u < 0.05 ? "-Infinity" : Math.round((r() * 200 - 100) * 1000) / 1000);
      timestamps.push(1_700_000_000_000 + step * 10 + Math.floor(r() * 5));
    }
    out.push({ seq, s: { steps, values, timestamps } });
  }
  for (let i = out.length - 1; i > 0; i--) {
    if (r() < 0.2) {
      const j = Math.floor(r() * i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
  }
  return { batches: out, maxStep: next - 1, r };
}

// Reads are independent of each other, so they go out together: the same
// checks in a fraction of the wall time on a busy machine.
async function checkAll(team: Awaited<ReturnType<typeof makeTeam>>, run: string, ref: Reference, maxStep: number, r: () => number) {
  const ranges = Array.from({ length: 12 }, (_, k) => {
    const a = Math.floor(r() * maxStep);
    return { a, b: a + Math.floor(r() * (maxStep - a + 50)), n: [1, 2, 7, 100, 999, 5000][k % 6]! };
  });
  const t0 = 1_700_000_000_000 + Math.floor(r() * maxStep) * 10;
  const [pts, whole, t, ...got] = await Promise.all([
    allPoints(team, run, "m"),
    buckets(team, [run], "m", "buckets=1000"),
    buckets(team, [run], "m", `buckets=300&x=time&start=${t0}&end=${t0 + 20_000}`),
    ...ranges.map(({ a, b, n }) => buckets(team, [run], "m", `buckets=${n}&start=${a}&end=${b}`)),
  ]);
  expect(pts).toEqual(ref.sorted().map((p) => ({ step: p.step, value: json(p.value), timestamp: p.time })));
  expect(whole.start).toBe(0);
  expect(whole.end).toBe(ref.sorted().at(-1)!.step);
  expect(whole.series[0].points).toEqual(ref.buckets(whole.start, whole.end, 1000));
  ranges.forEach(({ a, b, n }, k) => expect(got[k].series[0].points, `start=${a} end=${b} n=${n}`).toEqual(ref.buckets(a, b, n)));
  expect(t.series[0].points).toEqual(ref.buckets(t0, t0 + 20_000, 300, "time"));
}

test("buckets and points match a brute-force model on random data, before and after compaction", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  // 40 batches (about 5,000 points in some 70 chunks) exercise every case the
  // model covers; more only made the test slow on a busy machine.
  const { batches, maxStep, r } = randomBatches(42, 40);
  const ref = new Reference();
  for (const { seq, s } of batches) ref.apply(seq, s);
  // Four in flight at a time, in the shuffled order: the answers may not depend
  // on the order batches land in, and on a busy machine each one waits mostly
  // on others' work, so this cuts the wall time about fourfold.
  await Promise.all([0, 1, 2, 3].map(async (w) => {
    for (let i = w; i < batches.length; i += 4) await ingestOk(team, run, batches[i]!.seq, { m: batches[i]!.s });
  }));
  await checkAll(team, run, ref, maxStep, r);
  const summary = (await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run.summary.m;
  const all = ref.buckets(0, 2 ** 53 - 1, 1)[0]!;
  expect(summary).toEqual({ last: all.last, min: all.min, max: all.max, step: ref.sorted().at(-1)!.step, count: ref.points.size });
  const chunks = async () =>
    (await sql<{ n: number; dirty: number }>(
      `select count(*)::int as n, (select count(*)::int from metric_series where run_id = $1 and needs_compaction) as dirty
         from metric_chunks c join metric_series s on s.team_id = c.team_id and s.id = c.series_id where s.run_id = $1`,
      [run],
    ))[0]!;
  await compactRun(run);
  const after = await chunks();
  // Compaction merged the small and overlapping chunks.
  expect(after.dirty).toBe(0);
  // Every chunk but the series' last holds at least half a chunk's worth (64 points).
  expect(after.n).toBeLessThanOrEqual(Math.floor(ref.points.size / 64) + 1);
  await checkAll(team, run, ref, maxStep, r);
  expect((await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run.summary.m).toEqual(summary);
});

test("compare: one request answers for several runs; a run without the key has no points", async () => {
  const team = await makeTeam();
  const runs = [await newRun(team), await newRun(team), await newRun(team)];
  const refs = [new Reference(), new Reference()];
  for (let i = 0; i < 2; i++) {
    const { batches } = randomBatches(7 + i, 10);
    for (const { seq, s } of batches) {
      await ingestOk(team, runs[i]!, seq, { m: s });
      refs[i]!.apply(seq, s);
    }
  }
  await ingestOk(team, runs[2]!, 0, { other: { steps: [0], values: [1] } });
  const got = await buckets(team, runs, "m", "buckets=50&start=0&end=1500");
  expect(got.series.map((s: any) => s.run)).toEqual(runs);
  expect(got.series[0].points).toEqual(refs[0]!.buckets(0, 1500, 50));
  expect(got.series[1].points).toEqual(refs[1]!.buckets(0, 1500, 50));
  expect(got.series[2].points).toEqual([]);
  const dflt = await buckets(team, runs.slice(0, 2), "m", "");
  expect(dflt.buckets).toBe(1000);
  expect(dflt.start).toBe(Math.min(refs[0]!.sorted()[0]!.step, refs[1]!.sorted()[0]!.step));
});

test("bucket queries are checked: run count, bucket count, range, axis", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const q = (s: string) => api("GET", `/api/v1/metrics/buckets?${s}`, { creds: team.creds });
  expectError(await q("key=m"), 400);
  expectError(await q(`run=${run}`), 400);
  expectError(await q(`run=${run}&key=m&buckets=0`), 400);
  expectError(await q(`run=${run}&key=m&buckets=5001`), 400);
  expectError(await q(`run=${run}&key=m&start=10&end=5`), 400);
  expectError(await q(`run=${run}&key=m&x=wall`), 400);
  expectError(await q(`run=${run}&key=m&start=-1`), 400);
  expectError(await q(`${Array.from({ length: 51 }, () => `run=${run}`).join("&")}&key=m`), 400);
  expectError(await q(`run=run_nope&key=m`), 404, "not_found");
  const empty = await q(`run=${run}&key=m`);
  expect(empty.status, empty.text).toBe(200);
  expect(empty.body.series).toEqual([{ run, points: [] }]);
});
