import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { LOG_LIMITS, readLogs } from "../../services/logs";
import { runParams } from "../runs/schema";

const readQuery = z.object({
  cursor: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(LOG_LIMITS.linesPerRead).default(1000),
});

const lineSchema = z.object({
  n: z.number().int(),
  text: z.string(),
  stream: z.enum(["stdout", "stderr"]),
  ts: z.number().int().openapi({ description: "epoch milliseconds" }),
});

const route = createRoute({
  method: "get",
  path: "/runs/{run}/logs",
  summary: "Read console lines from line number `cursor` on",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: runParams, query: readQuery },
  responses: {
    200: jsonContent(z.object({ lines: z.array(lineSchema), next_cursor: z.number().int().nullable() })),
    ...authErrors,
  },
});

export const readLogsRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const page = await readLogs(c.get("db"), c.get("principal").teamId, c.req.valid("param").run, q.cursor, q.limit);
  return c.json({ lines: page.lines, next_cursor: page.nextCursor }, 200);
});
