import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { makeTeam } from "./helpers/harness";
import { allPoints, buckets, compactRun, ingestOk, json, newRun, runCron, type Series } from "./metrics-helpers";
import { Reference, rng } from "./metrics-reference";

test("compaction racing with concurrent ingest loses and doubles nothing", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const r = rng(1234);
  const ref = new Reference();
  // 4 writers × 40 small batches; every 5th batch rewrites earlier steps.
  const plan: { seq: number; s: Series }[] = [];
  for (let seq = 0; seq < 160; seq++) {
    const base = seq % 5 === 4 ? Math.floor(r() * seq * 3) : seq * 3;
    const steps = [base, base + 1, base + 2];
    plan.push({ seq, s: { steps, values: steps.map(() => Math.round(r() * 1e6) / 1e3), timestamps: steps.map((s) => 1e12 + s) } });
  }
  for (const { seq, s } of plan) ref.apply(seq, s);
  let writing = true;
  const writers = [0, 1, 2, 3].map(async (w) => {
    for (let i = w; i < plan.length; i += 4) await ingestOk(team, run, plan[i]!.seq, { m: plan[i]!.s, n: plan[i]!.s });
  });
  const cron = (async () => {
    let ticks = 0;
    while (writing || ticks < 2) {
      await runCron();
      ticks++;
    }
    return ticks;
  })();
  await Promise.all(writers);
  writing = false;
  expect(await cron).toBeGreaterThan(1);
  await compactRun(run);
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
  for (let seq = 100; seq < 250; seq++) await ingestOk(team, run, seq, { m: { steps: [seq], values: [seq / 2] } });
  const before = await allPoints(team, run, "m");
  expect(before[0]).toMatchObject({ step: 10, value: 5 });
  expect(before).toHaveLength(151);
  await compactRun(run);
  expect(await allPoints(team, run, "m")).toEqual(before);
  const list = await api("GET", `/api/v1/runs/${run}/metrics`, { creds: team.creds });
  expect(list.body.metrics).toEqual([{ key: "m", count: 151, min_step: 10, max_step: 249, last: 124.5, min: 5, max: 124.5 }]);
  // A late, lower seq still loses to the compacted point of seq 5.
  await ingestOk(team, run, 4, { m: { steps: [10], values: [4] } });
  expect((await allPoints(team, run, "m"))[0]).toMatchObject({ step: 10, value: 5 });
});
