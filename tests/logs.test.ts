import { expect, test } from "vitest";
import { api, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeRun, makeTeam, type Team } from "./helpers/harness";

const newRun = (team: Team) => makeRun(team, `logs-${uniq()}`);

const append = (team: Team, run: string, body: unknown) => api("POST", `/api/v1/runs/${run}/logs`, { creds: team.creds, json: body });
const read = (team: Team, run: string, q = "") => api("GET", `/api/v1/runs/${run}/logs${q}`, { creds: team.creds });

test("lines are numbered densely by batch then position, with stream and timestamp", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const before = Date.now();
  const a = await append(team, run, { seq: 0, lines: [{ text: "epoch 1" }, { text: "warn: slow", stream: "stderr", ts: 1_700_000_000_000 }] });
  expect(a.status, a.text).toBe(200);
  expect(a.body).toEqual({ accepted: 2, duplicate: false });
  expect((await append(team, run, { seq: 1, lines: [] })).body).toEqual({ accepted: 0, duplicate: false });
  const b = await append(team, run, { seq: 2, lines: [{ text: "\u001b[32mcolour\u001b[0m" }, { text: "" }, { text: "nul\u0000byte" }] });
  expect(b.body).toEqual({ accepted: 3, duplicate: false });

  const res = await read(team, run);
  expect(res.status, res.text).toBe(200);
  expect(res.body.next_cursor).toBeNull();
  expect(res.body.lines.map((l: any) => [l.n, l.text, l.stream])).toEqual([
    [0, "epoch 1", "stdout"],
    [1, "warn: slow", "stderr"],
    [2, "\u001b[32mcolour\u001b[0m", "stdout"],
    [3, "", "stdout"],
    [4, "nul\uFFFDbyte", "stdout"],
  ]);
  expect(res.body.lines[1].ts).toBe(1_700_000_000_000);
  expect(res.body.lines[0].ts).toBeGreaterThanOrEqual(before - 5_000);
});

test("a retried batch is a no-op: same answer shape, nothing doubled", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const body = { seq: 7, lines: [{ text: "once" }, { text: "only" }] };
  expect((await append(team, run, body)).body).toEqual({ accepted: 2, duplicate: false });
  expect((await append(team, run, body)).body).toEqual({ accepted: 0, duplicate: true });
  // Even with different content: the seq was already stored.
  expect((await append(team, run, { seq: 7, lines: [{ text: "other" }] })).body).toEqual({ accepted: 0, duplicate: true });
  expect((await read(team, run)).body.lines.map((l: any) => l.text)).toEqual(["once", "only"]);
});

test("concurrent batches all land with dense, distinct line numbers", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const sends = Array.from({ length: 8 }, (_, seq) => append(team, run, { seq, lines: [{ text: `${seq}-a` }, { text: `${seq}-b` }] }));
  for (const res of await Promise.all(sends)) expect(res.body, res.text).toEqual({ accepted: 2, duplicate: false });
  const lines = (await read(team, run)).body.lines;
  expect(lines.map((l: any) => l.n)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  // Each batch's lines stay together and in order.
  for (let i = 0; i < 16; i += 2) expect(lines[i + 1].text).toBe(lines[i].text.replace("-a", "-b"));
});

test("reads page by line number across batch boundaries", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  for (let seq = 0; seq < 5; seq++) {
    const lines = Array.from({ length: 1000 }, (_, i) => ({ text: `line ${seq * 1000 + i}` }));
    expect((await append(team, run, { seq, lines })).body.accepted).toBe(1000);
  }
  const seen: number[] = [];
  let cursor: number | null = 0;
  let pages = 0;
  while (cursor !== null && pages++ < 20) {
    const res = await read(team, run, `?cursor=${cursor}&limit=700`);
    expect(res.status, res.text).toBe(200);
    for (const l of res.body.lines) {
      expect(l.text).toBe(`line ${l.n}`);
      seen.push(l.n);
    }
    cursor = res.body.next_cursor;
  }
  expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  const mid = await read(team, run, "?cursor=2995&limit=10");
  expect(mid.body.lines.map((l: any) => l.n)).toEqual([2995, 2996, 2997, 2998, 2999, 3000, 3001, 3002, 3003, 3004]);
  expect(mid.body.next_cursor).toBe(3005);
  expect((await read(team, run, "?cursor=9999")).body).toEqual({ lines: [], next_cursor: null });
});

test("limits answer 4xx naming the limit, and nothing is stored", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const tooMany = await append(team, run, { seq: 0, lines: Array.from({ length: 5001 }, () => ({ text: "x" })) });
  expectError(tooMany, 413, "payload_too_large");
  expect(tooMany.body.error.message).toMatch(/^lines: 5001 lines.*5000/);
  const longLine = await append(team, run, { seq: 0, lines: [{ text: "ok" }, { text: "é".repeat(33_000) }] });
  expectError(longLine, 413, "payload_too_large");
  expect(longLine.body.error.message).toMatch(/^lines\[1\]\.text: 66000 bytes/);
  const tooBig = await append(team, run, { seq: 0, lines: Array.from({ length: 20 }, () => ({ text: "y".repeat(60_000) })) });
  expectError(tooBig, 413, "payload_too_large");
  expect(tooBig.body.error.message).toMatch(/^lines: 1200000 bytes/);
  const body = await append(team, run, { seq: 0, lines: [{ text: "z".repeat(3 * 1024 * 1024) }] });
  expectError(body, 413, "payload_too_large");

  const wrong: [unknown, RegExp][] = [
    [{ lines: [] }, /seq/],
    [{ seq: -1, lines: [] }, /seq/],
    [{ seq: 1.5, lines: [] }, /seq/],
    [{ seq: 0, lines: [{ text: 5 }] }, /lines\.0\.text/],
    [{ seq: 0, lines: [{ text: "a", stream: "stdin" }] }, /lines\.0\.stream/],
    [{ seq: 0, lines: [{ text: "a", ts: "now" }] }, /lines\.0\.ts/],
  ];
  for (const [b, field] of wrong) {
    const res = await append(team, run, b);
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(field);
  }
  expectError(await read(team, run, "?limit=5001"), 400, "invalid_argument");
  expectError(await read(team, run, "?cursor=-1"), 400, "invalid_argument");
  expect(await sql(`select 1 from run_log_batches where run_id = $1`, [run])).toHaveLength(0);
  // The seq refused above is still free.
  expect((await append(team, run, { seq: 0, lines: [{ text: "fine" }] })).body).toEqual({ accepted: 1, duplicate: false });
});

test("another team's run is 404 for both append and read", async () => {
  const team = await makeTeam();
  const other = await makeTeam();
  const run = await newRun(team);
  expectError(await append(other, run, { seq: 0, lines: [{ text: "x" }] }), 404, "not_found");
  expectError(await read(other, run), 404, "not_found");
});

test("a line with an unpaired surrogate is refused naming the line, not stored as U+FFFD", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const raw = (body: string) =>
    api("POST", `/api/v1/runs/${run}/logs`, { creds: team.creds, body, headers: { "content-type": "application/json" } });
  for (const [body, where] of [
    ['{"seq":0,"lines":[{"text":"ok"},{"text":"half \\ud83d of an emoji"}]}', /lines\.1\.text.*unpaired surrogate at character 5/],
    ['{"seq":0,"lines":[{"text":"\\ude00 trailing half"}]}', /lines\.0\.text.*unpaired surrogate at character 0/],
    ['{"seq":0,"lines":[{"text":"ends high \\ud800"}]}', /lines\.0\.text/],
  ] as const) {
    const res = await raw(body);
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(where);
  }
  expect(await sql(`select 1 from run_log_batches where run_id = $1`, [run])).toHaveLength(0);
  // A paired surrogate (an emoji) is valid Unicode and round-trips; the refused seq is still free.
  const ok = await raw('{"seq":0,"lines":[{"text":"ok"},{"text":"whole \\ud83d\\ude00 emoji"}]}');
  expect(ok.body, ok.text).toEqual({ accepted: 2, duplicate: false });
  expect((await read(team, run)).body.lines.map((l: any) => l.text)).toEqual(["ok", "whole \u{1F600} emoji"]);
});
