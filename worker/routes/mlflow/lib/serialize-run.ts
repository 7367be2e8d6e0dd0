import type { RunDataset } from "../../../services/run-datasets";
import type { Run } from "../../../services/run-lookup";
import { GIT_COMMIT_TAG, LABELS_TAG, NOTE_TAG, PARENT_TAG, RUN_NAME_TAG, USER_TAG } from "../../../services/system-tags";
import type { RunStatus } from "../../../../schema";

export { GIT_COMMIT_TAG, LABELS_TAG, NOTE_TAG, PARENT_TAG, RUN_NAME_TAG, USER_TAG };

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

// A run_datasets row as MLflow's DatasetInput.
export const datasetInput = (d: RunDataset): DatasetInput => ({
  tags: Object.entries(d.tags ?? {}).map(([key, value]) => ({ key, value })),
  dataset: {
    name: d.name,
    digest: d.digest,
    source_type: d.sourceType,
    source: d.source,
    ...(d.schema !== null ? { schema: d.schema } : {}),
    ...(d.profile !== null ? { profile: d.profile } : {}),
  },
});

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
