import { sql } from "drizzle-orm";
import type { Writer } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";
import { inactiveRun } from "./run-lookup";
import { MAX_CONFIG_BYTES } from "./runs";

// MLflow params are the run's config keys, as strings. A param is written once:
// the same value again is fine, a different one is refused. The check and the
// merge are one UPDATE that merges only when no key conflicts, so of two
// writers racing with different values exactly one lands (the loser's UPDATE
// is recomputed from the winner's row once the row lock is released).

export type Param = { key: string; value: string };

// A config value as the param it reads as: strings as they are, other JSON
// (numbers, lists from the native door) as their JSON text.
const paramText = (column: unknown) => sql`(${column} ->> n.key)`;

export async function logParams(q: Writer, teamId: string, runId: string, params: Param[]): Promise<void> {
  if (params.length === 0) return;
  const merged = JSON.stringify(Object.fromEntries(params.map((p) => [p.key, p.value])));
  // A second try only when the row changed between the update and the look
  // at why it failed (a native PATCH replacing a key): then the cause is gone.
  for (let attempt = 0; ; attempt++) {
    if (await mergeParams(q, teamId, runId, merged)) return;
    const why = await whyRefused(q, teamId, runId, merged, params.length === 1);
    if (why || attempt > 0) throw why ?? new ApiError("conflict", "params: the run changed while they were written; retry");
  }
}

async function mergeParams(q: Writer, teamId: string, runId: string, merged: string): Promise<boolean> {
  // The guard sits in SET, not WHERE: a WHERE sublink may become an anti-join
  // that the recheck after a row-lock wait does not re-run (measured: racing
  // writers both landed), while SET is always recomputed from the newest row.
  const conflict = sql`exists (select 1 from jsonb_each_text(${merged}::jsonb) n where runs.config ? n.key and ${paramText(sql`runs.config`)} <> n.value)`;
  const tooBig = sql`octet_length((runs.config || ${merged}::jsonb)::text) > ${MAX_CONFIG_BYTES}`;
  const res = await q.execute(sql`
    update runs set config = case when ${conflict} or ${tooBig} then config else config || ${merged}::jsonb end,
      updated_at = now(), heartbeat_at = now(), status = case when status = 'crashed' then 'running' else status end
    where team_id = ${teamId} and id = ${runId} and deleted_at is null
    returning not exists (select 1 from jsonb_each_text(${merged}::jsonb) n where ${paramText(sql`runs.config`)} is distinct from n.value) as ok`);
  const row = res.rows[0] as { ok: boolean } | undefined;
  return row?.ok === true;
}

// The update wrote no params: say why, from the row as it is now.
// MLflow words it two ways: log-param names the one param, log-batch lists them.
async function whyRefused(q: Writer, teamId: string, runId: string, merged: string, single: boolean): Promise<ApiError | null> {
  const res = await q.execute(sql`
    select r.deleted_at is not null as deleted,
      octet_length((r.config || ${merged}::jsonb)::text) as bytes,
      (select json_agg(json_build_object('key', n.key, 'old_value', ${paramText(sql`r.config`)}, 'new_value', n.value))
        from jsonb_each_text(${merged}::jsonb) n where r.config ? n.key and ${paramText(sql`r.config`)} <> n.value) as conflicts
    from runs r where r.team_id = ${teamId} and r.id = ${runId}`);
  const row = res.rows[0] as { deleted: boolean; bytes: number; conflicts: { key: string; old_value: string; new_value: string }[] | null } | undefined;
  if (!row) return notFound("run");
  if (row.deleted) return inactiveRun(runId);
  const conflicts = row.conflicts ?? [];
  if (single && conflicts.length === 1) {
    const c = conflicts[0]!;
    return new ApiError(
      "invalid_argument",
      `Changing param values is not allowed. Param with key='${c.key}' was already logged with value='${c.old_value}' for run ID='${runId}'. Attempted logging new value '${c.new_value}'.`,
    );
  }
  if (conflicts.length > 0) {
    const list = conflicts.map((c) => `{'key': '${c.key}', 'old_value': '${c.old_value}', 'new_value': '${c.new_value}'}`).join(", ");
    return new ApiError("invalid_argument", `Changing param values is not allowed. Params were already logged='[${list}]' for run ID='${runId}'.`);
  }
  if (row.bytes <= MAX_CONFIG_BYTES) return null;
  return new ApiError(
    "invalid_argument",
    `params: the run's params and config would take ${row.bytes} bytes; Sightline keeps at most ${MAX_CONFIG_BYTES} bytes of them per run`,
  );
}
