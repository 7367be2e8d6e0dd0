import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeTeam, type Team } from "./helpers/harness";
import { ingest, newRun, storedChunks, type Series } from "./metrics-helpers";

// What is stored, counted in the chunk rows themselves. Reading back through
// /metrics/points would not do: its merge keeps one point per step, so a batch
// stored twice reads back once.
async function stored(team: Team, run: string) {
  const chunks = await storedChunks(team, run);
  return Object.fromEntries(Object.entries(chunks).map(([key, cs]) => [key, cs.reduce((a, c) => a + c.count, 0)]));
}

// 100 points a series on steps no earlier batch used, so a batch stored once is
// one full chunk that never needs compaction. A second copy would overlap the
// first and wait for the cron, and the cron (ticked by other test files
// sharing this database) would merge the copies back into one: so each round
// counts right after its answers: to hide a doubling bug the cron would have
// to land in that short window in every one of several rounds.
const N = 100;
const batch = (seq: number, from: number): Record<string, Series> => {
  const steps = Array.from({ length: N }, (_, i) => from + i);
  return {
    loss: { steps, values: steps.map((s) => s / 7), timestamps: steps.map((s) => 1_700_000_000_000 + s * 13) },
    acc: { steps, values: steps.map((s) => 1 - 1 / (s + 2)) },
  };
};

const PARALLEL = 12;
const ROUNDS = 4;

test("the same seq sent many times at once is stored once: one accepted, the rest duplicate", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  for (let round = 0; round < ROUNDS; round++) {
    const seq = 1000 + round;
    const body = { seq, metrics: batch(seq, round * N) };
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => ingest(team, run, body)));
    const counts = await stored(team, run);
    for (const a of answers) expect(a.status, a.text).toBe(200);
    const bodies = answers.map((a) => a.body);
    expect(bodies.filter((b) => b.duplicate === false), `round ${round}`).toEqual([{ accepted: 2 * N, duplicate: false }]);
    expect(bodies.filter((b) => b.duplicate === true)).toEqual(Array.from({ length: PARALLEL - 1 }, () => ({ accepted: 0, duplicate: true })));
    expect(counts, `round ${round}`).toEqual({ acc: (round + 1) * N, loss: (round + 1) * N });
  }
  const [batches] = await sql<{ n: number }>("select count(*)::int as n from metric_batches where team_id = $1 and run_id = $2", [team.id, run]);
  expect(batches!.n).toBe(ROUNDS);
  const summary = (await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run.summary;
  expect(summary.loss.count).toBe(ROUNDS * N);
  expect(summary.acc.count).toBe(ROUNDS * N);
});

test("distinct seqs sent at once are all stored, whatever order they land in", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const answers = await Promise.all(
    Array.from({ length: PARALLEL }, (_, i) => ingest(team, run, { seq: i, metrics: batch(i, i * N) })),
  );
  const counts = await stored(team, run);
  for (const a of answers) expect(a.status, a.text).toBe(200);
  expect(answers.map((a) => a.body)).toEqual(Array.from({ length: PARALLEL }, () => ({ accepted: 2 * N, duplicate: false })));
  expect(counts).toEqual({ acc: PARALLEL * N, loss: PARALLEL * N });
  const summary = (await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run.summary;
  expect(summary.loss).toMatchObject({ count: PARALLEL * N, step: PARALLEL * N - 1 });
  // A retry of every one of them, again all at once, changes nothing.
  const again = await Promise.all(
    Array.from({ length: PARALLEL }, (_, i) => ingest(team, run, { seq: i, metrics: batch(i, i * N) })),
  );
  expect(again.map((a) => a.body)).toEqual(Array.from({ length: PARALLEL }, () => ({ accepted: 0, duplicate: true })));
  expect(await stored(team, run)).toEqual(counts);
});
