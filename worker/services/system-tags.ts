// MLflow's system tags that map onto Sightline's own columns: written to the
// column, read back from it, so both API doors show the same value.
export const RUN_NAME_TAG = "mlflow.runName";
export const NOTE_TAG = "mlflow.note.content";
export const GIT_COMMIT_TAG = "mlflow.source.git.commit";
export const PARENT_TAG = "mlflow.parentRunId";
export const USER_TAG = "mlflow.user";
// Native labels (W&B-style tags without values), joined, read-only through MLflow.
export const LABELS_TAG = "sightline.labels";
