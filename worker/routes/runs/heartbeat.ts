import { createRoute, z } from "@hono/zod-openapi";
import { runStatuses } from "../../../schema";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { timestamp } from "../../lib/validation";
import { guard } from "../../middleware/auth";
import { heartbeatRun } from "../../services/runs";
import { runParams } from "./schema";

const route = createRoute({
  method: "post",
  path: "/runs/{run}/heartbeat",
  summary: "Tell the server the run is alive (a crashed run is revived)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: runParams },
  responses: {
    200: jsonContent(z.object({ run: z.object({ id: z.string(), status: z.enum(runStatuses), heartbeat_at: timestamp }) })),
    ...authErrors,
  },
});

export const heartbeatRunRoute = newRouter().openapi(route, async (c) => {
  const r = await heartbeatRun(c.get("db"), c.get("principal").teamId, c.req.valid("param").run);
  return c.json({ run: { id: r.id, status: r.status, heartbeat_at: r.heartbeatAt.toISOString() } }, 200);
});
