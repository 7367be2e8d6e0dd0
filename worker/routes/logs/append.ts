import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { appendLogs } from "../../services/logs";
import { runParams } from "../runs/schema";

// Counts and sizes are checked by the service, which answers 413 naming the limit.
const appendBody = z.object({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  lines: z.array(
    z.object({
      text: z.string(),
      stream: z.enum(["stdout", "stderr"]).optional(),
      ts: z.number().int().min(0).max(8_640_000_000_000_000).optional(),
    }),
  ),
});

const route = createRoute({
  method: "post",
  path: "/runs/{run}/logs",
  summary: "Append a batch of console lines; a batch sent again (same seq) changes nothing",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: runParams, body: jsonBody(appendBody) },
  responses: {
    200: jsonContent(z.object({ accepted: z.number().int(), duplicate: z.boolean() })),
    413: { description: "More than 5,000 lines or 1 MiB in the batch, or a line over 64 KiB" },
    ...authErrors,
  },
});

export const appendLogsRoute = newRouter().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const result = await appendLogs(c.get("db"), c.get("principal").teamId, c.req.valid("param").run, body.seq, body.lines);
  return c.json(result, 200);
});
