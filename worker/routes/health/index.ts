import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { newRouter } from "../../lib/router";
import { VERSION } from "../../version";

const route = createRoute({
  method: "get",
  path: "/health",
  summary: "Version and whether the database answers",
  responses: {
    200: {
      description: "Healthy",
      content: {
        "application/json": {
          schema: z.object({ status: z.enum(["ok", "degraded"]), version: z.string(), database: z.enum(["ok", "unreachable"]) }),
        },
      },
    },
  },
});

export const healthRouter = newRouter().openapi(route, async (c) => {
  let database: "ok" | "unreachable" = "ok";
  try {
    await Promise.race([
      c.get("db").execute(sql`select 1`),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 5000)),
    ]);
  } catch {
    database = "unreachable";
  }
  return c.json({ status: database === "ok" ? "ok" : "degraded", version: VERSION, database }, 200);
});
