// Compaction against single-point logging (what MLflow's log_metric sends):
// `runs` runs × 5 keys, each key logged one point per request `points` times,
// leave runs × 5 series of one-point chunks flagged for the cron. Then the
// scheduled handler is ticked until none is left, while a writer keeps
// logging single points into those same series: reported are the ticks and
// the time to clear the backlog, series compacted per second, and the
// writer's latency while compaction runs (it must not be held up).
import type { Pool } from "@neondatabase/serverless";
import type { Api } from "./api.ts";
import { log, percentile } from "./stats.ts";

const KEYS = ["loss", "acc", "lr", "grad_norm", "epoch"];

export type CompactionFigures = {
  series: number;
  chunks_before: number;
  chunks_after: number;
  ticks: number;
  seconds: number;
  series_per_s: number;
  writer_p50_ms: number;
  writer_p99_ms: number;
  writer_p50_idle_ms: number;
};

export async function compactionBacklog(api: Api, pool: Pool, projectId: string, opts: { runs: number; points: number }): Promise<CompactionFigures> {
  // Runs straight into Postgres (setup only; the API makes one per request).
  const runIds = (
    await pool.query(
      `insert into runs (team_id, id, project_id, name, status, config, summary, created_at, updated_at, heartbeat_at)
       select $1, 'run_' || substr(md5($2 || g::text), 1, 20), $2, 'log-metric-' || g, 'running', '{}', '{}', now(), now(), now()
         from generate_series(1, $3::int) g returning id`,
      [api.teamId, projectId, opts.runs],
    )
  ).rows.map((r) => r.id as string);
  // Every run gets `points` requests, each one point of each key at the next step.
  const t0 = performance.now();
  let next = 0;
  const tasks = runIds.flatMap((id) => Array.from({ length: opts.points }, (_, step) => ({ id, step })));
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < tasks.length; i = next++) {
        const { id, step } = tasks[i]!;
        const metrics = Object.fromEntries(KEYS.map((k, j) => [k, { steps: [step], values: [step + j / 10], timestamps: [1_700_000_000_000 + step * 1000] }]));
        await api.post(`/api/v1/runs/${id}/metrics`, JSON.stringify({ seq: step, metrics }));
      }
    }),
  );
  const count = async (q: string) => Number((await pool.query(q, [api.teamId])).rows[0].n);
  const flagged = () => count("select count(*)::int as n from metric_series where team_id = $1 and needs_compaction");
  const chunks = () => count("select count(*)::int as n from metric_chunks where team_id = $1");
  const series = await flagged();
  const chunksBefore = await chunks();
  log(`compaction: ${tasks.length} one-point requests in ${((performance.now() - t0) / 1000).toFixed(1)} s left ${series} series flagged, ${chunksBefore} chunks`);

  // The writer: one point per request into the backlog's runs, at steps above
  // the backlog, timed before compaction (idle) and while it runs.
  let writing = true;
  let seq = 1_000_000;
  const idle: number[] = [];
  const busy: number[] = [];
  const touched = new Set<string>();
  const write = async (into: number[]) => {
    const id = runIds[seq % runIds.length]!;
    touched.add(id);
    const step = 1_000_000 + seq++;
    const t = performance.now();
    await api.post(`/api/v1/runs/${id}/metrics`, JSON.stringify({ seq: step, metrics: { loss: { steps: [step], values: [1] } } }));
    into.push(performance.now() - t);
  };
  for (let i = 0; i < 50; i++) await write(idle);
  const writer = (async () => {
    while (writing) await write(busy);
  })();
  const start = performance.now();
  let ticks = 0;
  const tickMs: number[] = [];
  // The writer re-flags the series it writes to: the backlog is cleared when
  // no other series is left flagged.
  for (;;) {
    const tickStart = performance.now();
    const res = await fetch(`${api.url}/__scheduled?cron=*/5+*+*+*+*`);
    await res.text();
    ticks++;
    tickMs.push(Math.round(performance.now() - tickStart));
    const left = Number(
      (await pool.query("select count(*)::int as n from metric_series where team_id = $1 and needs_compaction and not (key = 'loss' and run_id = any($2::text[]))", [api.teamId, [...touched]])).rows[0].n,
    );
    if (left === 0 || ticks >= 200) break;
  }
  const seconds = (performance.now() - start) / 1000;
  writing = false;
  await writer;
  const figures: CompactionFigures = {
    series,
    chunks_before: chunksBefore,
    chunks_after: await chunks(),
    ticks,
    seconds: Math.round(seconds * 100) / 100,
    series_per_s: Math.round(series / seconds),
    writer_p50_ms: Math.round(percentile(busy, 50) * 10) / 10,
    writer_p99_ms: Math.round(percentile(busy, 99) * 10) / 10,
    writer_p50_idle_ms: Math.round(percentile(idle, 50) * 10) / 10,
  };
  log(
    `compaction: ${series} series (${chunksBefore} → ${figures.chunks_after} chunks) cleared in ${ticks} tick(s), ${figures.seconds} s = ${figures.series_per_s} series/s; ` +
      `ticks took ${tickMs.join(", ")} ms; a writer meanwhile: p50 ${figures.writer_p50_ms} ms, p99 ${figures.writer_p99_ms} ms (idle p50 ${figures.writer_p50_idle_ms} ms, ${busy.length} writes)`,
  );
  return figures;
}
