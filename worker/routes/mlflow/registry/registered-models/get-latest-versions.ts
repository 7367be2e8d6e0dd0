import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../../../env";
import { authErrors, jsonBody, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { latestVersionsByName } from "../../../../services/registry/aliases";
import { required } from "../../lib/request";
import { modelVersionSchema, queryList, versionsJson } from "../schema";

// MLflow 1.x/2.x stages: the newest version in each stage asked for (all stages when none are).
const common = {
  path: "/registered-models/get-latest-versions",
  summary: "MLflow: latest version of a registered model per stage",
  security: bearerSecurity,
  middleware: guard("read"),
  responses: { 200: jsonContent(z.object({ model_versions: z.array(modelVersionSchema) })), ...authErrors },
};

async function answer(c: Context<AppEnv>, req: { name?: string; stages?: string[] }) {
  const teamId = c.get("principal").teamId;
  const versions = await latestVersionsByName(c.get("db"), teamId, required(req.name, "name"), req.stages);
  return { model_versions: await versionsJson(c.get("db"), teamId, versions) };
}

export const getLatestVersionsRoute = newRouter()
  .openapi(
    createRoute({ ...common, method: "post", request: { body: jsonBody(z.object({ name: z.string().optional(), stages: z.array(z.string()).optional() })) } }),
    async (c) => c.json(await answer(c, c.req.valid("json")), 200),
  )
  .openapi(createRoute({ ...common, method: "get", request: { query: z.object({ name: z.string().optional(), stages: queryList }) } }), async (c) =>
    c.json(await answer(c, c.req.valid("query")), 200),
  );
