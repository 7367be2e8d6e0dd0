import { createRoute } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { usageReport } from "../../services/usage";
import { usageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/",
  summary: "The team's plan, its limits, usage this month (seats, storage, points, runs), per day, and warnings at 80 % and 100 %",
  security: bearerSecurity,
  middleware: guard("read"),
  responses: { 200: jsonContent(usageSchema), ...authErrors },
});

export const getUsageRoute = newRouter().openapi(route, async (c) => {
  return c.json(await usageReport(c.get("db"), c.get("principal").teamId), 200);
});
