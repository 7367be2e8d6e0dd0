import type { Db } from "../../../lib/db";
import { listRunDatasets } from "../../../services/run-datasets";
import type { Run } from "../../../services/run-lookup";
import { runJson, type DatasetInput } from "../lib/serialize-run";

// The Run message with the datasets the run logged (log-inputs).
export async function mlflowRunJson(db: Db, run: Run) {
  const datasets = await listRunDatasets(db, run.teamId, run.id);
  const inputs: DatasetInput[] = datasets.map((d) => ({
    tags: Object.entries(d.tags ?? {}).map(([key, value]) => ({ key, value })),
    dataset: {
      name: d.name,
      digest: d.digest,
      source_type: d.sourceType,
      source: d.source,
      ...(d.schema !== null ? { schema: d.schema } : {}),
      ...(d.profile !== null ? { profile: d.profile } : {}),
    },
  }));
  return runJson(run, inputs);
}
