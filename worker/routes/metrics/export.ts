import { createRoute, z } from "@hono/zod-openapi";
import { createDb } from "../../lib/db";
import { authErrors } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { exportStream } from "../../services/metrics/export";
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
  const run = await getRunInTeam(c.get("db"), teamId, c.req.valid("param").run);
  // The request's connection is closed once the handler returns, while the
  // stream is still being read; the stream gets a connection of its own.
  const { db, close } = createDb(c.get("config"));
  const body = exportStream(db, close, teamId, run.id, format);
  const type = format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
  return new Response(body, {
    status: 200,
    headers: { "content-type": type, "content-disposition": `attachment; filename="${run.id}.${format}"` },
  }) as never;
});
