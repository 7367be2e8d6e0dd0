// Lost or doubled points under retries: batches re-sent after their first
// answer (~10%) and sent twice at once (~5%), as a client whose responses got
// lost would. Counted three ways, each able to see the fault it names:
//   - what is stored: the points held in each series' chunks (before any
//     compaction merges repeats away) against the points sent, so a batch
//     stored twice shows as doubled even though reads keep one point a step;
//   - the answers: the `accepted` counts sum to the points sent exactly once,
//     and every re-send is answered `duplicate`;
//   - what reads return: every (key, step) comes back (lost).
import type { Pool } from "@neondatabase/serverless";
import { batchBody, createRun, lossAt, type Api } from "./api.ts";
import { log } from "./stats.ts";

const KEYS = ["loss", "acc"];
const PER_KEY = 500;

export type RetryCheck = { sent: number; stored: number; lost: number; doubled: number; resent: number; accepted: number; duplicates: number };

export async function retries(api: Api, pool: Pool, project: string, opts = { runs: 4, batches: 50 }): Promise<RetryCheck> {
  const runIds = await Promise.all(Array.from({ length: opts.runs }, (_, i) => createRun(api, project, `retries-${i}`)));
  const tasks = runIds.flatMap((runId) => Array.from({ length: opts.batches }, (_, seq) => ({ runId, seq })));
  let resent = 0;
  let accepted = 0;
  let duplicates = 0;
  let next = 0;
  const send = async (t: { runId: string; seq: number }) => {
    const body = JSON.parse(batchBody(t.seq, KEYS, t.seq * PER_KEY, PER_KEY, (k, s) => (k === "loss" ? lossAt(s) : s)));
    const res = await api.call<{ accepted: number; duplicate: boolean }>("POST", `/api/v1/runs/${t.runId}/metrics`, body);
    accepted += res.accepted;
    if (res.duplicate) duplicates++;
  };
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < tasks.length; i = next++) {
        const t = tasks[i]!;
        const roll = Math.random();
        if (roll < 0.05) {
          resent++;
          await Promise.all([send(t), send(t)]);
        } else {
          await send(t);
          if (roll < 0.15) {
            resent++;
            await send(t);
          }
        }
      }
    }),
  );
  const perSeries = opts.batches * PER_KEY;
  const sent = opts.runs * perSeries * KEYS.length;
  // Stored: the chunks' point counts. No cron tick ran since these runs were made.
  const held = await pool.query(
    `select s.run_id, s.key, coalesce(sum(c.count), 0)::int as n from metric_series s
       left join metric_chunks c on c.team_id = s.team_id and c.series_id = s.id
      where s.team_id = $1 and s.run_id = any($2::text[]) group by s.run_id, s.key`,
    [api.teamId, runIds],
  );
  let stored = 0;
  let doubled = 0;
  for (const r of held.rows) {
    stored += r.n;
    doubled += Math.max(0, r.n - perSeries);
  }
  let lost = 0;
  for (const runId of runIds) {
    for (const key of KEYS) {
      const seen = new Set<number>();
      // The first page has no cursor; later ones use the server's next_cursor as given.
      for (let cursor: number | null | undefined; cursor !== null; ) {
        const page: { points: { step: number }[]; next_cursor: number | null } = await api.call(
          "GET",
          `/api/v1/runs/${runId}/metrics/points?key=${encodeURIComponent(key)}&limit=10000${cursor === undefined ? "" : `&cursor=${cursor}`}`,
        );
        for (const p of page.points) seen.add(p.step);
        cursor = page.next_cursor;
      }
      for (let step = 0; step < perSeries; step++) if (!seen.has(step)) lost++;
    }
  }
  // An answer that accepted a batch twice, or a re-send not answered as a duplicate, is a fault too.
  doubled = Math.max(doubled, accepted - sent, 0);
  if (duplicates !== resent) log(`retries: ${resent} batches re-sent but ${duplicates} answered duplicate`);
  log(`retries: ${sent} points sent, ${stored} stored in chunks, ${accepted} accepted; ${resent} of ${tasks.length} batches re-sent, ${duplicates} answered duplicate; lost ${lost}, doubled ${doubled}`);
  return { sent, stored, lost, doubled, resent, accepted, duplicates };
}
