import { createRoute, z } from "@hono/zod-openapi";
import { authErrors } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { exportStream } from "../../services/metrics/export";
import { holdSnapshot } from "../../services/metrics/sql";
import { getRunInTeam } from "../../services/run-lookup";
import { runParams } from "./schema";

const query = z.object({ format: z.enum(["jsonl", "csv"]).default("jsonl") });

const route = createRoute({
  method: "get",
  path: "/runs/{run}/export",
  summary: "Every metric point of the run, streamed as JSON Lines or CSV",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: runParams, query },
  responses: {
    200: {
      description: "JSONL lines {key, step, value, timestamp}, or CSV with header key,step,value,timestamp",
      content: { "application/x-ndjson": { schema: z.string() }, "text/csv": { schema: z.string() } },
    },
    ...authErrors,
  },
});

export const exportRoute = newRouter().openapi(route, async (c) => {
  const { format } = c.req.valid("query");
  const teamId = c.get("principal").teamId;
  const db = c.get("db");
  const run = await getRunInTeam(db, teamId, c.req.valid("param").run);
  // Taken before the handler returns: the request's connection is then held
  // by the snapshot, so closing the request's pool waits for the stream's end.
  const snap = await holdSnapshot(db, `sightline export ${run.id}`);
  const body = exportStream(snap, teamId, run.id, format);
  const type = format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
  return new Response(body, {
    status: 200,
    headers: { "content-type": type, "content-disposition": `attachment; filename="${run.id}.${format}"` },
  }) as never;
});
