// The runs table of a big project: 10,000 runs inserted straight into
// Postgres (setup only), then the first page filtered on a config value and
// ordered by a metric summary, through the API.
import type { Pool } from "@neondatabase/serverless";
import type { Api } from "./api.ts";
import { log, percentile, timeIt } from "./stats.ts";

export async function seedRuns(pool: Pool, teamId: string, projectId: string, n: number): Promise<void> {
  const t0 = performance.now();
  await pool.query(
    `insert into runs (team_id, id, project_id, name, status, config, summary, created_at, updated_at, heartbeat_at, finished_at)
     select $1, 'run_' || substr(md5($2 || g::text), 1, 20), $2, 'sweep-' || g, 'finished',
            jsonb_build_object('optimizer', (array['adam', 'sgd', 'adamw'])[1 + g % 3], 'lr', (1 + g % 10) * 0.001,
                               'batch_size', 32 * (1 + g % 4), 'model', jsonb_build_object('layers', 2 + g % 6)),
            jsonb_build_object(
              'loss', jsonb_build_object('last', r, 'min', r * 0.9, 'max', 2.5, 'step', 999, 'count', 1000),
              'acc', jsonb_build_object('last', 1 - r, 'min', 0.1, 'max', 1 - r * 0.9, 'step', 999, 'count', 1000)),
            t, t, t, t + interval '1 hour'
       from (select g, random() as r, now() - g * interval '1 minute' as t from generate_series(1, $3::int) g) s`,
    [teamId, projectId, n],
  );
  await pool.query("analyze runs");
  log(`runs page: inserted ${n} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

export async function runsPage(api: Api, pool: Pool, projectId: string, n = 10_000): Promise<number> {
  await seedRuns(pool, api.teamId, projectId, n);
  const path = `/api/v1/projects/${projectId}/runs?filter=config.optimizer=adam&order_by=-summary.loss.min&limit=50`;
  let got: { runs: { config: { optimizer: string }; summary: { loss: { min: number } } }[] } = { runs: [] };
  const samples = await timeIt(async () => {
    got = await api.call("GET", path);
  }, 30);
  // The figure only counts if the page is the right one.
  const mins = got.runs.map((r) => r.summary.loss.min);
  if (got.runs.length !== 50 || got.runs.some((r) => r.config.optimizer !== "adam") || mins.some((m, i) => i > 0 && m > mins[i - 1]!)) {
    throw new Error(`runs page is wrong: ${got.runs.length} runs, filter/order not applied`);
  }
  const p50 = percentile(samples, 50);
  log(`runs page (${n} runs, filter + order by summary, 50 a page): p50 ${p50.toFixed(1)} ms`);
  return p50;
}
