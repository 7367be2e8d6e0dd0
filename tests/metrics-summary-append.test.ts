import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { makeTeam } from "./helpers/harness";
import { ingestOk, newRun, num, type Series } from "./metrics-helpers";

// Appending batches take the one-statement path, whose summary merge runs in
// SQL; these check it against the summary computed here from every point.
const spell = (v: number): number | string => (Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v);

function expected(values: (number | string)[], lastStep: number) {
  const real = values.map(num).filter((v) => !Number.isNaN(v));
  return {
    last: spell(num(values.at(-1)!)),
    min: real.length ? spell(Math.min(...real)) : null,
    max: real.length ? spell(Math.max(...real)) : null,
    step: lastStep,
    count: values.length,
  };
}

test("appended batches merge the summary exactly: NaN-only, ±Infinity, extremes, ties", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const batches: (number | string)[][] = [
    ["NaN"],
    ["NaN", "NaN"],
    [0.1, -0.25],
    ["Infinity", 1e308],
    [-0.25, "NaN"],
    [5e-324, "-Infinity"],
    [2.5e-308, 0.30000000000000004],
    ["NaN"],
  ];
  const all: (number | string)[] = [];
  let step = 0;
  for (const [seq, values] of batches.entries()) {
    const steps = values.map(() => (step += 3));
    all.push(...values);
    expect(await ingestOk(team, run, seq, { k: { steps, values } })).toEqual({ accepted: values.length, duplicate: false });
    const summary = (await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run.summary;
    expect(summary.k).toEqual(expected(all, step));
  }
  // A retry of an old seq changes nothing.
  expect(await ingestOk(team, run, 2, { k: { steps: [10_000], values: [-1e9] } })).toEqual({ accepted: 0, duplicate: true });
  expect((await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run.summary.k).toEqual(expected(all, step));
});

test("concurrent appending batches of one run lose no summary update", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const keys = ["a", "b", "c", "d"];
  const perKey = 10;
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < perKey; i++) {
    for (const [j, key] of keys.entries()) {
      const body: Record<string, Series> = { [key]: { steps: [i], values: [i * 10 + j] }, shared: { steps: [i * 4 + j], values: [i * 4 + j] } };
      sends.push(ingestOk(team, run, i * keys.length + j, body));
    }
  }
  await Promise.all(sends);
  const summary = (await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run.summary;
  for (const [j, key] of keys.entries()) expect(summary[key]).toMatchObject({ min: j, max: (perKey - 1) * 10 + j, count: perKey });
  expect(summary.shared).toMatchObject({ min: 0, max: perKey * keys.length - 1, step: perKey * keys.length - 1, count: perKey * keys.length });
});
