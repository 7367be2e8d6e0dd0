import type { Project, Run } from "./types";

// MLflow's system tags that Sightline shows in their own place rather than in
// the tags table: the name, notes and git columns hold the first three, the
// run header the user and the parent link.
export const USER_TAG = "mlflow.user";
export const PARENT_TAG = "mlflow.parentRunId";
export const SOURCE_NAME_TAG = "mlflow.source.name";
export const SOURCE_TYPE_TAG = "mlflow.source.type";
const SHOWN_ELSEWHERE = new Set(["mlflow.runName", "mlflow.note.content", "mlflow.source.git.commit", PARENT_TAG, USER_TAG]);

const byKey = ([a]: [string, string], [b]: [string, string]) => (a < b ? -1 : a > b ? 1 : 0);

// The run's key-value tags in two groups: the user's own, and MLflow's
// internals (mlflow.source.*, mlflow.log-model.history, ...) that most
// readers skip, so the page shows them collapsed.
export function splitTags(run: Run): { user: [string, string][]; system: [string, string][] } {
  const user: [string, string][] = [];
  const system: [string, string][] = [];
  for (const kv of Object.entries(run.kv_tags ?? {})) {
    if (SHOWN_ELSEWHERE.has(kv[0])) continue;
    (kv[0].startsWith("mlflow.") ? system : user).push(kv);
  }
  return { user: user.sort(byKey), system: system.sort(byKey) };
}

export const runUser = (run: Run) => run.kv_tags?.[USER_TAG] || null;
// parent_id is the column; the tag is the same value on servers that only keep tags.
export const parentOf = (run: Run) => run.parent_id || run.kv_tags?.[PARENT_TAG] || null;
