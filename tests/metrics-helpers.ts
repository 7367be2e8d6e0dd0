import { gzipSync } from "node:zlib";
import { expect } from "vitest";
import { api, stack, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeRun, type Team } from "./helpers/harness";
import { runCron } from "./helpers/scheduled";

export type Series = { steps: number[]; values: (number | string)[]; timestamps?: number[] };

export const newRun = (team: Team) => makeRun(team, `metrics-${uniq()}`);

export const ingest = (team: Team, run: string, body: unknown) => api("POST", `/api/v1/runs/${run}/metrics`, { creds: team.creds, json: body });

export async function ingestOk(team: Team, run: string, seq: number, metrics: Record<string, Series>) {
  const res = await ingest(team, run, { seq, metrics });
  expect(res.status, res.text).toBe(200);
  return res.body as { accepted: number; duplicate: boolean };
}

export const ingestGzip = (team: Team, run: string, body: Buffer | string) =>
  api("POST", `/api/v1/runs/${run}/metrics`, {
    creds: team.creds,
    body: gzipSync(body),
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
  });

export async function allPoints(team: Team, run: string, key: string, q = "") {
  const out: { step: number; value: number | string; timestamp: number }[] = [];
  let cursor: number | null = null;
  do {
    const res: { status: number; text: string; body: any } = await api("GET", `/api/v1/runs/${run}/metrics/points?key=${encodeURIComponent(key)}&limit=777${cursor === null ? "" : `&cursor=${cursor}`}${q}`, {
      creds: team.creds,
    });
    expect(res.status, res.text).toBe(200);
    out.push(...res.body.points);
    cursor = res.body.next_cursor;
  } while (cursor !== null);
  return out;
}

export async function buckets(team: Team, runs: string[], key: string, q: string) {
  const qs = runs.map((r) => `run=${r}`).join("&");
  const res = await api("GET", `/api/v1/metrics/buckets?${qs}&key=${encodeURIComponent(key)}&${q}`, { creds: team.creds });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

export { runCron };

// Ticks the cron until none of the run's series waits for compaction.
export async function compactRun(run: string) {
  for (let i = 0; i < 100; i++) {
    await runCron();
    await new Promise((r) => setTimeout(r, 100));
    const [row] = await sql<{ n: number }>("select count(*)::int as n from metric_series where run_id = $1 and needs_compaction", [run]);
    if (row!.n === 0) return;
  }
  throw new Error(`compaction of ${run} did not settle`);
}

// The chunk rows of a run as stored, per metric key, in step order: what
// compaction and ingest really wrote, which reads through the API (one point
// per step) cannot show.
export async function storedChunks(team: Team, run: string) {
  const rows = await sql<{ key: string; id: string; step_min: string; step_max: string; count: number }>(
    `select s.key, c.id, c.step_min, c.step_max, c.count
       from metric_series s join metric_chunks c on c.team_id = s.team_id and c.series_id = s.id
      where s.team_id = $1 and s.run_id = $2 order by s.key, c.step_min, c.id`,
    [team.id, run],
  );
  const out: Record<string, { id: number; stepMin: number; stepMax: number; count: number }[]> = {};
  for (const r of rows) (out[r.key] ??= []).push({ id: Number(r.id), stepMin: Number(r.step_min), stepMax: Number(r.step_max), count: r.count });
  return out;
}

export const num = (v: number | string) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : (v as number));
export const json = (v: number) => (Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v);
