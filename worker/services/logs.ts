import { sql } from "drizzle-orm";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import { loneSurrogateAt } from "../lib/validation";
import { getRunInTeam } from "./run-lookup";

export const LOG_LIMITS = {
  linesPerBatch: 5_000,
  bytesPerBatch: 1024 * 1024,
  bytesPerLine: 64 * 1024,
  linesPerRead: 5_000,
  // A page stops early rather than hand the Worker hundreds of MiB of long lines.
  bytesPerRead: 4 * 1024 * 1024,
} as const;

export type LogLineIn = { text: string; stream?: "stdout" | "stderr"; ts?: number };
export type LogLineOut = { n: number; text: string; stream: "stdout" | "stderr"; ts: number };

const utf8 = new TextEncoder();

export async function appendLogs(
  db: Db,
  teamId: string,
  runId: string,
  seq: number,
  lines: LogLineIn[],
): Promise<{ accepted: number; duplicate: boolean }> {
  if (lines.length > LOG_LIMITS.linesPerBatch) {
    throw new ApiError("payload_too_large", `lines: ${lines.length} lines in one batch; the limit is ${LOG_LIMITS.linesPerBatch}`);
  }
  // Console output is raw bytes turned text: a NUL is kept visible as U+FFFD
  // rather than failing the batch (Postgres text cannot hold NUL).
  const texts = lines.map((l) => (l.text.includes("\u0000") ? l.text.replace(/\u0000/g, "\uFFFD") : l.text));
  // An unpaired surrogate is not a byte that came from the process but a
  // broken client string; like every other text field it is refused, since
  // storing it would silently turn it into U+FFFD.
  texts.forEach((t, i) => {
    const at = loneSurrogateAt(t);
    if (at >= 0) {
      throw new ApiError("invalid_argument", `lines.${i}.text: must be valid Unicode (unpaired surrogate at character ${at}); nothing in this batch was stored`);
    }
  });
  let bytes = 0;
  texts.forEach((t, i) => {
    const exact = utf8.encode(t).length;
    if (exact > LOG_LIMITS.bytesPerLine) {
      throw new ApiError("payload_too_large", `lines[${i}].text: ${exact} bytes; a line may be at most ${LOG_LIMITS.bytesPerLine}`);
    }
    bytes += exact;
  });
  if (bytes > LOG_LIMITS.bytesPerBatch) {
    throw new ApiError("payload_too_large", `lines: ${bytes} bytes of text in one batch; the limit is ${LOG_LIMITS.bytesPerBatch}`);
  }
  await getRunInTeam(db, teamId, runId);
  // Nothing to number; storing it would give the next batch the same first line.
  if (lines.length === 0) return { accepted: 0, duplicate: false };

  const now = Date.now();
  const streams = lines.map((l) => (l.stream === "stderr" ? "e" : "o")).join("");
  const ts = lines.map((l) => l.ts ?? now);
  // One row is both the (run, seq) idempotency record and the lines, so a retry
  // is a no-op. Two batches racing for the same first line number collide on
  // the first_n unique index; ON CONFLICT without a target turns both cases
  // into "nothing inserted" (never an error that could abort a transaction),
  // and a look at the seq tells a duplicate from a lost race, which renumbers.
  for (let attempt = 0; attempt < 20; attempt++) {
    const res = await db.execute<{ first_n: string }>(sql`
      insert into run_log_batches (team_id, run_id, seq, first_n, line_count, bytes, texts, streams, ts)
      select ${teamId}, ${runId}, ${seq},
        coalesce((select first_n + line_count from run_log_batches
                  where team_id = ${teamId} and run_id = ${runId} order by first_n desc limit 1), 0),
        ${lines.length}, ${bytes}, ${sql.param(texts)}::text[], ${streams}, ${sql.param(ts)}::bigint[]
      on conflict do nothing
      returning first_n`);
    if (res.rows.length > 0) return { accepted: lines.length, duplicate: false };
    const seen = await db.execute(sql`
      select 1 from run_log_batches where team_id = ${teamId} and run_id = ${runId} and seq = ${seq}`);
    if (seen.rows.length > 0) return { accepted: 0, duplicate: true };
  }
  throw new ApiError("unavailable", "console output for this run is being written by many clients at once; retry the batch");
}

type BatchSlice = { first_n: string; lo: number; texts: string[]; streams: string; ts: (string | number)[]; total: string };

export async function readLogs(
  db: Db,
  teamId: string,
  runId: string,
  cursor: number,
  limit: number,
): Promise<{ lines: LogLineOut[]; nextCursor: number | null }> {
  await getRunInTeam(db, teamId, runId);
  const end = cursor + limit;
  // The batch holding `cursor` is found by one backward index probe; the rest of
  // the page are the batches that start before `end`, cut off at a byte budget.
  const res = await db.execute<BatchSlice>(sql`
    with page as (
      select first_n, line_count, texts, streams, ts,
        greatest(${cursor}::bigint - first_n, 0)::int + 1 as lo,
        least(${end}::bigint - first_n, line_count)::int as hi,
        sum(bytes) over (order by first_n) - bytes as before
      from run_log_batches
      where team_id = ${teamId} and run_id = ${runId} and first_n < ${end}::bigint
        and first_n >= coalesce((select max(first_n) from run_log_batches
                                 where team_id = ${teamId} and run_id = ${runId} and first_n <= ${cursor}::bigint), 0)
    )
    select first_n, lo, texts[lo:hi] as texts, substr(streams, lo, hi - lo + 1) as streams, ts[lo:hi] as ts,
      (select first_n + line_count from run_log_batches
       where team_id = ${teamId} and run_id = ${runId} order by first_n desc limit 1) as total
    from page where before < ${LOG_LIMITS.bytesPerRead} and hi >= lo
    order by first_n`);
  const lines: LogLineOut[] = [];
  let bytes = 0;
  let total = 0;
  outer: for (const b of res.rows) {
    total = Number(b.total);
    const base = Number(b.first_n) + b.lo - 1;
    for (let i = 0; i < b.texts.length; i++) {
      const text = b.texts[i]!;
      bytes += text.length;
      if (lines.length > 0 && bytes > LOG_LIMITS.bytesPerRead) break outer;
      lines.push({ n: base + i, text, stream: b.streams[i] === "e" ? "stderr" : "stdout", ts: Number(b.ts[i]) });
    }
  }
  const next = lines.length ? lines[lines.length - 1]!.n + 1 : cursor;
  return { lines, nextCursor: lines.length && next < total ? next : null };
}
