import { sql, type SQL } from "drizzle-orm";
import { runs } from "../../schema";
import { ApiError } from "../lib/errors";

// What MLflow's search compares, as SQL over one row of runs: the run's
// metrics, params, tags and attributes as MLflow's Run message shows them
// (routes/mlflow/lib/serialize-run.ts). Keys are bound parameters.

// The latest values of the named metrics, as a float8 array, from one read of
// the summary. Summaries are written by ingest only and hold numbers or the
// strings "NaN", "Infinity", "-Infinity", which float8's input reads as they
// are. A large summary is stored compressed and every `summary -> key` would
// decompress it again; `|| '{}'` yields it decompressed once, and the
// OFFSET 0 subquery keeps that one value for every key.
// Measured on 10,000 runs of 41 metrics: 3 keys 53 ms read one by one, 31 ms this way; 1 key 20 ms directly.
export function metricValues(keys: string[]): SQL {
  if (keys.length === 1) return sql`array[(${runs.summary} -> ${keys[0]} ->> 'last')::float8]`;
  const items = sql.join(keys.map((k) => sql`(s -> ${k} ->> 'last')::float8`), sql`, `);
  return sql`(select array[${items}]::float8[] from (select ${runs.summary} || '{}'::jsonb as s offset 0) as z)`;
}

// Params are strings in MLflow; non-string config values read as their JSON text.
export function paramValue(key: string): SQL {
  const v = sql`(${runs.config} -> ${key})`;
  return sql`(case jsonb_typeof(${v}) when 'string' then ${v} #>> '{}' else (${v})::text end)`;
}

// Tags MLflow keeps in columns here read from the column, as serialize-run.ts shows them.
export function tagValue(key: string): SQL {
  const kv = sql`(${runs.kvTags} ->> ${key})`;
  switch (key) {
    case "mlflow.runName":
      return sql`${runs.name}`;
    case "mlflow.note.content":
      return sql`nullif(${runs.notes}, '')`;
    case "mlflow.source.git.commit":
      return sql`coalesce(nullif(${runs.git} ->> 'commit', ''), ${kv})`;
    case "mlflow.parentRunId":
      return sql`coalesce(${runs.parentId}, ${kv})`;
    case "sightline.labels":
      return sql`coalesce(nullif(array_to_string(${runs.tags}, ', '), ''), ${kv})`;
    default:
      return kv;
  }
}

export const STATUS_SQL = sql`(case ${runs.status} when 'running' then 'RUNNING' when 'finished' then 'FINISHED' when 'killed' then 'KILLED' else 'FAILED' end)`;
export const msOf = (col: SQL) => sql`floor(extract(epoch from ${col}) * 1000)::int8`;

export function stringAttribute(key: string): SQL {
  switch (key) {
    case "run_id":
      return sql`${runs.id}`;
    case "run_name":
      return sql`${runs.name}`;
    case "user_id":
      return sql`coalesce(${runs.kvTags} ->> 'mlflow.user', '')`;
    case "status":
      return STATUS_SQL;
    case "artifact_uri":
      return sql`('mlflow-artifacts:/' || ${runs.projectId} || '/' || ${runs.id} || '/artifacts')`;
  }
  throw new ApiError("invalid_argument", `Invalid attribute key '${key}'`);
}
