import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { addRunDatasets, MAX_DATASETS_PER_CALL, type NewRunDataset } from "../../../services/run-datasets";
import { getActiveRunInTeam } from "../../../services/run-lookup";
import { invalidParam } from "../lib/errors";
import { runIdOf, runRef } from "../lib/request";
import { emptyReply, mlflowErrors } from "./schema";
import { storable } from "./validate";

// MLflow's dataset limits (mlflow/utils/validation.py), in characters.
const limits = { name: 500, digest: 36, source: 65_535, schema: 1_048_575, profile: 16_777_215 } as const;
const MAX_INPUT_TAG_KEY = 255;
const MAX_INPUT_TAG_VALUE = 500;

const datasetInput = z.object({
  tags: z.array(z.object({ key: z.string().optional(), value: z.string().optional() })).optional(),
  dataset: z
    .object({
      name: z.string().optional(),
      digest: z.string().optional(),
      source_type: z.string().optional(),
      source: z.string().optional(),
      schema: z.string().optional(),
      profile: z.string().optional(),
    })
    .optional(),
});
// models (MLflow 3's logged-model inputs) are accepted and not kept here.
const body = z.object({ ...runRef, datasets: z.array(datasetInput).optional(), models: z.array(z.unknown()).optional() });

const route = createRoute({
  method: "post",
  path: "/runs/log-inputs",
  summary: "MLflow: record the datasets a run used (logging one again merges its context tags)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyReply), ...mlflowErrors },
});

const tooLong = (what: string, limit: number) => invalidParam(`'${what}' exceeds the maximum length of ${limit} characters`);

function checkDataset(d: z.infer<typeof datasetInput>): NewRunDataset {
  const ds = d.dataset;
  if (!ds) throw invalidParam("Dataset cannot be None");
  for (const f of ["name", "digest", "source_type", "source"] as const) {
    if (ds[f] === undefined) throw invalidParam(`Dataset ${f} cannot be None`);
    storable(ds[f], f);
  }
  for (const f of ["name", "digest", "source", "schema", "profile"] as const) {
    const v = ds[f];
    if (v !== undefined && [...storable(v, f)].length > limits[f]) throw tooLong(f, limits[f]);
  }
  const tags: Record<string, string> = {};
  for (const t of d.tags ?? []) {
    if (t.key === undefined) throw invalidParam("InputTag key cannot be None");
    if (t.value === undefined) throw invalidParam("InputTag value cannot be None");
    if ([...storable(t.key, "key")].length > MAX_INPUT_TAG_KEY) throw tooLong("key", MAX_INPUT_TAG_KEY);
    if ([...storable(t.value, "value")].length > MAX_INPUT_TAG_VALUE) throw tooLong("value", MAX_INPUT_TAG_VALUE);
    tags[t.key] = t.value;
  }
  return { name: ds.name!, digest: ds.digest!, sourceType: ds.source_type!, source: ds.source!, schema: ds.schema ?? null, profile: ds.profile ?? null, tags };
}

export const logInputsRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const runId = runIdOf(req);
  const list = req.datasets ?? [];
  if (list.length > MAX_DATASETS_PER_CALL) {
    throw invalidParam(`A log-inputs request can contain at most ${MAX_DATASETS_PER_CALL} datasets. Got ${list.length} datasets.`);
  }
  // One row per (name, digest): a dataset named twice in one call merges its tags.
  const byId = new Map<string, NewRunDataset>();
  for (const d of list.map(checkDataset)) {
    const id = JSON.stringify([d.name, d.digest]);
    const seen = byId.get(id);
    byId.set(id, seen ? { ...d, tags: { ...seen.tags, ...d.tags } } : d);
  }
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  await getActiveRunInTeam(db, teamId, runId);
  await addRunDatasets(db, teamId, runId, [...byId.values()]);
  return c.json({}, 200);
});
