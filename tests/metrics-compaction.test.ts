import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { makeTeam } from "./helpers/harness";
import { allPoints, buckets, compactRun, ingestOk, json, newRun, runCron, storedChunks, type Series } from "./metrics-helpers";
import { Reference, rng } from "./metrics-reference";

// A series' stored chunks must tile its steps: sorted, none overlapping the
// next, adding up to exactly the points the model holds. A point stored twice
// (a chunk compaction read but failed to delete) or lost shows here even
// though reads through the API keep one point per step.
function expectTiled(chunks: { stepMin: number; stepMax: number; count: number }[] | undefined, points: number) {
  expect(chunks).toBeDefined();
  chunks!.forEach((c, i) => {
    if (i > 0) expect(c.stepMin, `chunk ${i} overlaps the one before`).toBeGreaterThan(chunks![i - 1]!.stepMax);
  });
  expect(chunks!.reduce((a, c) => a + c.count, 0)).toBe(points);
}

test("compaction racing with concurrent ingest loses and doubles nothing", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const r = rng(1234);
  const ref = new Reference();
  // 4 writers × 16 small batches (each a small chunk the cron wants to merge);
  // every 5th batch rewrites earlier steps.
  const plan: { seq: number; s: Series }[] = [];
  for (let seq = 0; seq < 64; seq++) {
    const base = seq % 5 === 4 ? Math.floor(r() * seq * 3) : seq * 3;
    const steps = [base, base + 1, base + 2];
    plan.push({ seq, s: { steps, values: steps.map(() => Math.round(r() * 1e6) / 1e3), timestamps: steps.map((s) => 1e12 + s) } });
  }
  for (const { seq, s } of plan) ref.apply(seq, s);

  // The cron ticks for as long as anyone writes. The second half of the
  // batches waits until a tick is seen (in SQL) to have replaced chunk rows
  // of this run, which only compaction does: so a compaction certainly runs
  // between the writes, on any machine and at any speed, and the later writes
  // race the ticks that follow it. If no tick ever replaces a chunk, the test
  // fails here rather than waiting out its timeout.
  let opened!: () => void;
  let failed!: (err: Error) => void;
  const midway = new Promise<void>((res, rej) => ((opened = res), (failed = rej)));
  let writing = true;
  const writers = Promise.all(
    [0, 1, 2, 3].map(async (w) => {
      for (let i = w; i < plan.length; i += 4) {
        if (i >= plan.length / 2) await midway;
        await ingestOk(team, run, plan[i]!.seq, { m: plan[i]!.s, n: plan[i]!.s });
      }
    }),
  );
  writers.catch(() => undefined);
  const ids = async () => new Set(Object.values(await storedChunks(team, run)).flatMap((cs) => cs.map((c) => c.id)));
  const cron = (async () => {
    let before = await ids();
    let replaced = 0;
    for (let tick = 0; writing; tick++) {
      await runCron();
      const now = await ids();
      const gone = [...before].filter((id) => !now.has(id)).length;
      if (gone > 0 && replaced === 0) opened();
      replaced += gone;
      before = now;
      if (replaced === 0 && tick >= 60) {
        failed(new Error(`no compaction replaced a chunk of ${run} in ${tick} ticks`));
        break;
      }
    }
    return replaced;
  })();
  await midway;
  await writers;
  writing = false;
  await cron;

  await compactRun(run);
  const stored = await storedChunks(team, run);
  expectTiled(stored.m, ref.points.size);
  expectTiled(stored.n, ref.points.size);
  const want = ref.sorted().map((p) => ({ step: p.step, value: json(p.value), timestamp: p.time }));
  for (const key of ["m", "n"]) {
    expect(await allPoints(team, run, key)).toEqual(want);
    const b = await buckets(team, [run], key, "buckets=37");
    expect(b.series[0].points).toEqual(ref.buckets(b.start, b.end, 37));
  }
  const summary = (await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run.summary;
  expect(summary.m.count).toBe(ref.points.size);
  expect(summary.n).toEqual(summary.m);
});

test("one-point batches are merged into full chunks, and repeated steps resolve by seq, not arrival", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  // seq 5 arrives before seq 3 for the same step: seq 5 must win everywhere.
  await ingestOk(team, run, 5, { m: { steps: [10], values: [5] } });
  await ingestOk(team, run, 3, { m: { steps: [10], values: [3] } });
  // 130 more, just past one chunk's worth, five at a time: the order they land
  // in must not matter, and it keeps the test short on a busy machine.
  const seqs = Array.from({ length: 130 }, (_, i) => 100 + i);
  await Promise.all([0, 1, 2, 3, 4].map(async (w) => {
    for (let i = w; i < seqs.length; i += 5) await ingestOk(team, run, seqs[i]!, { m: { steps: [seqs[i]!], values: [seqs[i]! / 2] } });
  }));
  const before = await allPoints(team, run, "m");
  expect(before[0]).toMatchObject({ step: 10, value: 5 });
  expect(before).toHaveLength(131);
  await compactRun(run);
  // Merged, not just marked clean: every chunk but the last holds at least
  // half a chunk's worth (64 points), so 131 points are at most 3 rows.
  const merged = (await storedChunks(team, run)).m;
  expectTiled(merged, 131);
  for (const c of merged!.slice(0, -1)) expect(c.count).toBeGreaterThanOrEqual(64);
  expect(await allPoints(team, run, "m")).toEqual(before);
  const list = await api("GET", `/api/v1/runs/${run}/metrics`, { creds: team.creds });
  expect(list.body.metrics).toEqual([{ key: "m", count: 131, min_step: 10, max_step: 229, last: 114.5, min: 5, max: 114.5 }]);
  // A late, lower seq still loses to the compacted point of seq 5.
  await ingestOk(team, run, 4, { m: { steps: [10], values: [4] } });
  expect((await allPoints(team, run, "m"))[0]).toMatchObject({ step: 10, value: 5 });
});
