import type { Db } from "../../../lib/db";
import { listRunDatasets } from "../../../services/run-datasets";
import type { Run } from "../../../services/run-lookup";
import { datasetInput, runJson } from "../lib/serialize-run";

// The Run message with the datasets the run logged (log-inputs).
export async function mlflowRunJson(db: Db, run: Run) {
  return runJson(run, (await listRunDatasets(db, run.teamId, run.id)).map(datasetInput));
}
