import { createRoute } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { checkShareRun, shareKeysOf } from "../../lib/share-access";
import { guardShare } from "../../middleware/auth";
import { getRunInTeam } from "../../services/run-lookup";
import { frozenRun, frozenSnapshot } from "../../services/share-snapshot-read";
import { runEnvelope, runParams } from "./schema";
import { runJson } from "./serialize";

const route = createRoute({
  method: "get",
  path: "/runs/{run}",
  summary: "Get a run",
  security: bearerSecurity,
  // A share link reads the runs its report names, with only the metric keys it shows.
  middleware: guardShare("read"),
  request: { params: runParams },
  responses: { 200: jsonContent(runEnvelope), ...authErrors },
});

export const getRunRoute = newRouter().openapi(route, async (c) => {
  const id = c.req.valid("param").run;
  checkShareRun(c, id);
  // A frozen share link answers from its snapshot (worker/services/share-snapshot.ts).
  const frozen = await frozenSnapshot(c);
  if (frozen) return c.json({ run: frozenRun(frozen, id) }, 200);
  const run = await getRunInTeam(c.get("db"), c.get("principal").teamId, id);
  const json = runJson(run);
  const keys = shareKeysOf(c, run.id);
  if (keys) json.summary = Object.fromEntries(Object.entries(json.summary).filter(([k]) => keys.has(k))) as typeof json.summary;
  return c.json({ run: json }, 200);
});
