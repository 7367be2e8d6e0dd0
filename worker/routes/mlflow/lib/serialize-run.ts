import type { Run } from "../../../services/run-lookup";
import type { RunStatus } from "../../../../schema";

// A Sightline run as MLflow's Run message (info, data, inputs). Responses
// hold only fields of MLflow's protos; the client ignores unknown fields,
// but the contract is theirs.

export const toMlflowStatus: Record<RunStatus, string> = {
  running: "RUNNING",
  finished: "FINISHED",
  failed: "FAILED",
  killed: "KILLED",
  crashed: "FAILED",
};

// Tags MLflow sets that map onto Sightline's own columns: written to the
// column, read back from it, so both doors show the same value.
export const RUN_NAME_TAG = "mlflow.runName";
export const NOTE_TAG = "mlflow.note.content";
export const GIT_COMMIT_TAG = "mlflow.source.git.commit";
export const PARENT_TAG = "mlflow.parentRunId";
export const USER_TAG = "mlflow.user";
// Native labels (W&B-style tags without values), joined, read-only here.
export const LABELS_TAG = "sightline.labels";

export const ms = (d: Date | string | null | undefined) => (d ? new Date(d).getTime() : undefined);

// Params are strings in MLflow; native config values that are not strings
// (numbers, lists, nested objects) read as their JSON text.
export const paramValue = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

export function mlflowTags(run: Run): { key: string; value: string }[] {
  const tags: Record<string, string> = { ...(run.kvTags ?? {}) };
  tags[RUN_NAME_TAG] = run.name;
  if (run.notes) tags[NOTE_TAG] = run.notes;
  else delete tags[NOTE_TAG];
  if (run.git?.commit) tags[GIT_COMMIT_TAG] = run.git.commit;
  if (run.parentId) tags[PARENT_TAG] = run.parentId;
  if (run.tags.length) tags[LABELS_TAG] = run.tags.join(", ");
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

export function runInfo(run: Run) {
  return {
    run_id: run.id,
    run_uuid: run.id,
    run_name: run.name,
    experiment_id: run.projectId,
    user_id: run.kvTags?.[USER_TAG] ?? "",
    status: toMlflowStatus[run.status],
    start_time: ms(run.createdAt),
    ...(run.finishedAt ? { end_time: ms(run.finishedAt) } : {}),
    artifact_uri: `mlflow-artifacts:/${run.projectId}/${run.id}/artifacts`,
    lifecycle_stage: run.deletedAt ? "deleted" : "active",
  };
}

// Latest value of each metric, from the summary ingest keeps current.
// Non-finite values stay the strings "NaN", "Infinity", "-Infinity" (protobuf's JSON form).
export function latestMetrics(run: Run) {
  const timestamp = ms(run.heartbeatAt);
  return Object.entries(run.summary ?? {}).map(([key, s]) => ({ key, value: s.last, timestamp, step: s.step }));
}

export type DatasetInput = {
  tags: { key: string; value: string }[];
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
};

export function runJson(run: Run, datasets: DatasetInput[] = []) {
  return {
    info: runInfo(run),
    data: {
      metrics: latestMetrics(run),
      params: Object.entries(run.config ?? {}).map(([key, v]) => ({ key, value: paramValue(v) })),
      tags: mlflowTags(run),
    },
    inputs: { dataset_inputs: datasets },
  };
}
