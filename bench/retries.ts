// Lost or doubled points under retries: batches re-sent after their first
// answer (~10%) and sent twice at once (~5%), as a client whose responses got
// lost would. Every point is then read back and counted per (key, step).
import { batchBody, createRun, lossAt, type Api } from "./api.ts";
import { log } from "./stats.ts";

const KEYS = ["loss", "acc"];
const PER_KEY = 500;

export async function retries(api: Api, project: string, opts = { runs: 4, batches: 50 }): Promise<{ sent: number; lost: number; doubled: number; resent: number }> {
  const runIds = await Promise.all(Array.from({ length: opts.runs }, (_, i) => createRun(api, project, `retries-${i}`)));
  const tasks = runIds.flatMap((runId) => Array.from({ length: opts.batches }, (_, seq) => ({ runId, seq })));
  let resent = 0;
  let next = 0;
  const send = (t: { runId: string; seq: number }) =>
    api.post(`/api/v1/runs/${t.runId}/metrics`, batchBody(t.seq, KEYS, t.seq * PER_KEY, PER_KEY, (k, s) => (k === "loss" ? lossAt(s) : s)));
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
  const sent = opts.runs * opts.batches * PER_KEY * KEYS.length;
  let lost = 0;
  let doubled = 0;
  for (const runId of runIds) {
    for (const key of KEYS) {
      const seen = new Map<number, number>();
      // The first page has no cursor; later ones use the server's next_cursor as given.
      for (let cursor: number | null | undefined; cursor !== null; ) {
        const page: { points: { step: number }[]; next_cursor: number | null } = await api.call(
          "GET",
          `/api/v1/runs/${runId}/metrics/points?key=${encodeURIComponent(key)}&limit=10000${cursor === undefined ? "" : `&cursor=${cursor}`}`,
        );
        for (const p of page.points) seen.set(p.step, (seen.get(p.step) ?? 0) + 1);
        cursor = page.next_cursor;
      }
      for (let step = 0; step < opts.batches * PER_KEY; step++) if (!seen.has(step)) lost++;
      for (const [step, n] of seen) doubled += step < opts.batches * PER_KEY ? n - 1 : n;
    }
  }
  log(`retries: ${sent} points sent, ${resent} of ${tasks.length} batches re-sent; lost ${lost}, doubled ${doubled}`);
  return { sent, lost, doubled, resent };
}
