// History retention (issue 11): `runs` runs of 100,000 points each, past
// their retention, deleted by the scheduled handler ticked back to back as
// Cloudflare's cron would; reported are the points freed per second and the
// ingest latency of ANOTHER team while it runs, as a ratio to the same
// writer with no retention work. The data is made fast: one run is ingested
// through the API (4 keys × 25,000 steps, 1,000-point batches), then its
// series and chunk rows are cloned by SQL under new run ids.
import type { Pool } from "@neondatabase/serverless";
import { batchBody, createProject, createRun, lossAt, makeApi, type Api } from "./api.ts";
import { log, percentile, round } from "./stats.ts";

const KEYS = ["train/loss", "train/acc", "lr", "grad_norm"];
const PER_KEY = 250;
const POINTS_PER_RUN = 100_000;
const CLONE_BATCH = 25;

export type RetentionFigures = {
  runs: number;
  points_per_run: number;
  chunk_rows_per_run: number;
  points_deleted: number;
  ticks: number;
  seconds: number;
  points_freed_per_s: number;
  runs_per_s: number;
  tick_ms_max: number;
  other_team_ingest_p95_ms_idle: number;
  other_team_ingest_p95_ms_during: number;
  other_team_ingest_p50_ms_idle: number;
  other_team_ingest_p50_ms_during: number;
  p95_ratio_during_to_idle: number;
};

async function team(url: string, ip: string, name: string): Promise<Api> {
  const res = await fetch(`${url}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ email: `bench-${name}-${Date.now()}@example.com`, password: "correct horse battery staple", team_name: `Bench ${name}` }),
  });
  const body = (await res.json()) as { api_key?: { key: string }; team?: { id: string } };
  if (res.status !== 201 || !body.api_key) throw new Error(`signup → ${res.status}: ${JSON.stringify(body)}`);
  return makeApi(url, body.api_key.key, body.team!.id);
}

// A writer of another team: 1,000-point batches back to back into its own run,
// each request timed, until stop() is called.
function writer(api: Api, runId: string, startSeq: number) {
  const latencies: number[] = [];
  let running = true;
  let seq = startSeq;
  const done = (async () => {
    while (running) {
      const body = batchBody(seq, KEYS, seq * PER_KEY, PER_KEY, (_k, s) => lossAt(s));
      const t = performance.now();
      await api.post(`/api/v1/runs/${runId}/metrics`, body);
      latencies.push(performance.now() - t);
      seq++;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return { latencies, next: seq };
    },
  };
}

async function tick(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${url}/__scheduled?cron=*/5+*+*+*+*`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`scheduled → ${res.status}: ${text.slice(0, 200)}`);
  return performance.now() - t;
}

export async function benchRetention(url: string, pool: Pool, quick: boolean): Promise<RetentionFigures> {
  const runs = quick ? 200 : 1_000;
  const idleSeconds = quick ? 4 : 10;
  const owner = await team(url, "10.99.0.41", "retention");
  const other = await team(url, "10.99.0.42", "writer");
  // Limits out of the way: this measures deletion, not quotas. The owner's
  // plan keeps 365 days; the clones are 400 days old.
  await pool.query("update teams set plan = 'team' where id = $1", [owner.teamId]);
  await pool.query("update teams set plan = 'enterprise' where id = $1", [other.teamId]);

  const project = await createProject(owner, "bench-retention");
  const template = await createRun(owner, project, "template");
  for (let seq = 0; seq < POINTS_PER_RUN / (PER_KEY * KEYS.length); seq++) {
    await owner.post(`/api/v1/runs/${template}/metrics`, batchBody(seq, KEYS, seq * PER_KEY, PER_KEY, (_k, s) => lossAt(s)));
  }
  const t0 = performance.now();
  for (let from = 1; from <= runs; from += CLONE_BATCH) {
    await pool.query(
      `with new_runs as (
         insert into runs (team_id, id, project_id, name, status, summary, created_at, updated_at, heartbeat_at)
         select t.team_id, 'run_ret' || lpad(g::text, 7, '0'), t.project_id, 'ret-' || g, 'finished', t.summary,
                now() - interval '400 days', now(), now()
         from runs t, generate_series($3::int, $4::int) g where t.team_id = $1 and t.id = $2
         returning id),
       new_series as (
         insert into metric_series (team_id, run_id, key, needs_compaction)
         select $1, nr.id, s.key, false from new_runs nr cross join metric_series s where s.team_id = $1 and s.run_id = $2
         returning id, key)
       insert into metric_chunks (team_id, series_id, step_min, step_max, count, seq, v_min, v_max, v_last, t_min, t_max, t_monotone, payload)
       select $1, ns.id, c.step_min, c.step_max, c.count, c.seq, c.v_min, c.v_max, c.v_last, c.t_min, c.t_max, c.t_monotone, c.payload
       from new_series ns
       join metric_series s on s.team_id = $1 and s.run_id = $2 and s.key = ns.key
       join metric_chunks c on c.team_id = $1 and c.series_id = s.id`,
      [owner.teamId, template, from, Math.min(runs, from + CLONE_BATCH - 1)],
    );
  }
  // The template itself is young, so it stays.
  const count = async (q: string) => Number((await pool.query(q, [owner.teamId])).rows[0].n);
  const chunkRows = await count("select count(*)::int as n from metric_chunks c join metric_series s on s.team_id = c.team_id and s.id = c.series_id where c.team_id = $1 and s.run_id like 'run_ret%'");
  log(`retention: ${runs} runs × ${POINTS_PER_RUN.toLocaleString("en-US")} points cloned in ${((performance.now() - t0) / 1000).toFixed(1)} s (${chunkRows} chunk rows, ${Math.round(chunkRows / runs)} a run)`);
  await pool.query("vacuum analyze runs, metric_series, metric_chunks");

  // The other team's writer, first with nothing to delete (and no cron ticking).
  const otherRun = await createRun(other, await createProject(other, "bench-writer"), "writer");
  const idleWriter = writer(other, otherRun, 0);
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const idle = await idleWriter.stop();

  const busyWriter = writer(other, otherRun, idle.next);
  const start = performance.now();
  const tickMs: number[] = [];
  const left = () => count("select count(*)::int as n from runs where team_id = $1 and id like 'run_ret%'");
  while ((await left()) > 0) {
    tickMs.push(await tick(url));
    if (tickMs.length > runs) throw new Error("retention: runs left after as many ticks as runs");
  }
  const seconds = (performance.now() - start) / 1000;
  const busy = await busyWriter.stop();
  const passes = await pool.query("select details from audit_log where team_id = $1 and action = 'retention.pass'", [owner.teamId]);
  const pointsDeleted = passes.rows.reduce((n, r) => n + Number(r.details.points_deleted), 0);

  const p95Idle = percentile(idle.latencies, 95);
  const p95Busy = percentile(busy.latencies, 95);
  const figures: RetentionFigures = {
    runs,
    points_per_run: POINTS_PER_RUN,
    chunk_rows_per_run: Math.round(chunkRows / runs),
    points_deleted: pointsDeleted,
    ticks: tickMs.length,
    seconds: round(seconds, 2),
    points_freed_per_s: Math.round(pointsDeleted / seconds),
    runs_per_s: round(runs / seconds, 1),
    tick_ms_max: Math.round(Math.max(...tickMs)),
    other_team_ingest_p95_ms_idle: round(p95Idle),
    other_team_ingest_p95_ms_during: round(p95Busy),
    other_team_ingest_p50_ms_idle: round(percentile(idle.latencies, 50)),
    other_team_ingest_p50_ms_during: round(percentile(busy.latencies, 50)),
    p95_ratio_during_to_idle: round(p95Busy / p95Idle, 2),
  };
  if (pointsDeleted !== runs * POINTS_PER_RUN) throw new Error(`retention: audit says ${pointsDeleted} points deleted, expected ${runs * POINTS_PER_RUN}`);
  return figures;
}

export const describeRetention = (f: RetentionFigures): string[] => [
  `retention: ${f.runs} runs × ${f.points_per_run.toLocaleString("en-US")} points (${f.chunk_rows_per_run} chunk rows a run) deleted in ${f.seconds} s over ${f.ticks} ticks (longest ${f.tick_ms_max} ms): ${f.points_freed_per_s.toLocaleString("en-US")} points/s freed, ${f.runs_per_s} runs/s`,
  `retention: another team's ingest p95 ${f.other_team_ingest_p95_ms_during} ms while it runs vs ${f.other_team_ingest_p95_ms_idle} ms without (× ${f.p95_ratio_during_to_idle}); p50 ${f.other_team_ingest_p50_ms_during} vs ${f.other_team_ingest_p50_ms_idle} ms`,
];
