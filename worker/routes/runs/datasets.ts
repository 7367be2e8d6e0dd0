import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { timestamp } from "../../lib/validation";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { listRunDatasets } from "../../services/run-datasets";
import { getRunInTeam } from "../../services/run-lookup";
import { runParams } from "./schema";

// The datasets a run used (logged through MLflow's log-inputs), for the
// dashboard's run page. Schema and profile are the client's JSON text, as sent.
const datasetSchema = z
  .object({
    name: z.string(),
    digest: z.string(),
    source_type: z.string(),
    source: z.string(),
    schema: z.string().nullable(),
    profile: z.string().nullable(),
    tags: z.record(z.string(), z.string()).openapi({ description: "Input tags, e.g. mlflow.data.context: training" }),
    created_at: timestamp,
  })
  .openapi("RunDataset");

const route = createRoute({
  method: "get",
  path: "/runs/{run}/datasets",
  summary: "List the datasets a run used",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: runParams },
  responses: { 200: jsonContent(z.object({ datasets: z.array(datasetSchema) })), ...authErrors },
});

export const runDatasetsRoute = newRouter().openapi(route, async (c) => {
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  const { run } = c.req.valid("param");
  // The run lookup gives another team's run (or none) its 404; the list alone would answer [].
  await getRunInTeam(db, teamId, run);
  const rows = await listRunDatasets(db, teamId, run);
  const datasets = rows.map((d) => ({
    name: d.name,
    digest: d.digest,
    source_type: d.sourceType,
    source: d.source,
    schema: d.schema ?? null,
    profile: d.profile ?? null,
    tags: d.tags ?? {},
    created_at: d.createdAt.toISOString(),
  }));
  return c.json({ datasets }, 200);
});
