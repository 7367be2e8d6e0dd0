import { expect, test } from "vitest";
import { api, stack } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeTeam, type Team } from "./helpers/harness";
import { allPoints, buckets, compactRun, ingestOk, newRun } from "./metrics-helpers";

const exportText = async (team: Team, run: string, format: string) => {
  const res = await fetch(`${stack().url}/api/v1/runs/${run}/export?format=${format}`, { headers: { authorization: `Bearer ${team.key}` } });
  expect(res.status).toBe(200);
  return { type: res.headers.get("content-type"), text: await res.text() };
};

test("NaN and ±Infinity round-trip through points, buckets, summary and export", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const values = [1.5, "NaN", "Infinity", "-Infinity", -0.25, 1e308, 5e-324];
  await ingestOk(team, run, 0, { v: { steps: [0, 1, 2, 3, 4, 5, 6], values, timestamps: [1, 2, 3, 4, 5, 6, 7] } });
  await ingestOk(team, run, 1, { inf: { steps: [0, 1], values: ["Infinity", "Infinity"] }, nan: { steps: [3], values: ["NaN"] } });
  expect((await allPoints(team, run, "v")).map((p) => p.value)).toEqual(values);
  const one = await buckets(team, [run], "v", "buckets=7");
  expect(one.series[0].points.map((b: any) => [b.min, b.max, b.last, b.count])).toEqual(values.map((v) => (v === "NaN" ? [null, null, v, 1] : [v, v, v, 1])));
  const all = await buckets(team, [run], "v", "buckets=1");
  expect(all.series[0].points).toEqual([{ x0: 0, x1: 6, min: "-Infinity", max: "Infinity", last: 5e-324, count: 7, last_x: 6 }]);
  const summary = (await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run.summary;
  expect(summary.v).toEqual({ last: 5e-324, min: "-Infinity", max: "Infinity", step: 6, count: 7 });
  expect(summary.inf).toEqual({ last: "Infinity", min: "Infinity", max: "Infinity", step: 1, count: 2 });
  expect(summary.nan).toEqual({ last: "NaN", min: null, max: null, step: 3, count: 1 });
  const jsonl = (await exportText(team, run, "jsonl")).text.trim().split("\n").map((l) => JSON.parse(l));
  expect(jsonl.filter((l) => l.key === "v").map((l) => l.value)).toEqual(values);
  expect(jsonl[0]).toEqual({ key: "inf", step: 0, value: "Infinity", timestamp: expect.any(Number) });
  const csv = (await exportText(team, run, "csv")).text.trim().split("\n");
  expect(csv[0]).toBe("key,step,value,timestamp");
  expect(csv.filter((l) => l.startsWith("v,"))).toEqual(["v,0,1.5,1", "v,1,NaN,2", "v,2,Infinity,3", "v,3,-Infinity,4", "v,4,-0.25,5", "v,5,1e+308,6", "v,6,5e-324,7"]);
});

test("export streams every point of every key, JSONL and CSV, after LWW and compaction", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const keys = ["train/loss", "a b", "z.acc"];
  let seq = 0;
  for (let start = 0; start < 30_000; start += 3_000) {
    const steps = Array.from({ length: 3_000 }, (_, i) => start + i);
    await ingestOk(team, run, seq++, Object.fromEntries(keys.map((k, j) => [k, { steps, values: steps.map((s) => s * (j + 1)), timestamps: steps }])));
  }
  // Rewrites: every step 100…199 of train/loss gets a new value.
  const re = Array.from({ length: 100 }, (_, i) => 100 + i);
  await ingestOk(team, run, seq++, { "train/loss": { steps: re, values: re.map(() => -1), timestamps: re } });
  const check = async () => {
    const { type, text } = await exportText(team, run, "jsonl");
    expect(type).toContain("ndjson");
    const lines = text.trim().split("\n");
    expect(lines).toHaveLength(90_000);
    const rows = lines.map((l) => JSON.parse(l));
    expect([...new Set(rows.map((r) => r.key))]).toEqual(["a b", "train/loss", "z.acc"]);
    const loss = rows.filter((r) => r.key === "train/loss");
    expect(loss.map((r) => r.step)).toEqual(Array.from({ length: 30_000 }, (_, i) => i));
    expect(loss.every((r) => r.value === (r.step >= 100 && r.step < 200 ? -1 : r.step))).toBe(true);
    const csv = await exportText(team, run, "csv");
    expect(csv.type).toContain("text/csv");
    const csvLines = csv.text.trim().split("\n");
    expect(csvLines).toHaveLength(90_001);
    expect(csvLines[1]).toBe("a b,0,0,0");
    expect(csvLines.at(-1)).toBe("z.acc,29999,89997,29999");
  };
  await check();
  await compactRun(run);
  await check();
  const [row] = await sql<{ n: number }>("select count(*)::int as n from metric_chunks c join metric_series s on s.id = c.series_id where s.run_id = $1", [run]);
  // Stored in chunks, not a row per point.
  expect(row!.n).toBeLessThan(90_000 / 100);
});

test("a metric batch refreshes the heartbeat and revives a crashed run", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  await sql("update runs set status = 'crashed', heartbeat_at = now() - interval '1 hour' where id = $1", [run]);
  await ingestOk(team, run, 0, { m: { steps: [0], values: [1] } });
  const got = (await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run;
  expect(got.status).toBe("running");
  expect(Date.now() - Date.parse(got.heartbeat_at)).toBeLessThan(60_000);
});
