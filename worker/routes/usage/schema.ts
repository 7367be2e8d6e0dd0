import { z } from "@hono/zod-openapi";
import { limitNames } from "../../lib/plans";

const limitName = z.enum(limitNames as [string, ...string[]]);

export const usageSchema = z
  .object({
    plan: z.string(),
    limits: z.record(limitName, z.number()).openapi({ description: "Every limit of the team's plan, with its per-team overrides applied" }),
    usage: z.object({
      seats: z.number().int(),
      storage_bytes: z.number().int().openapi({ description: "Every object the team holds, uploads in progress included" }),
      points_this_month: z.number().int(),
      runs_this_month: z.number().int(),
    }),
    points_by_day: z
      .array(z.object({ day: z.string().openapi({ example: "2026-12-01" }), points: z.number().int(), runs: z.number().int() }))
      .openapi({ description: "UTC days of this month and the previous one that saw any use" }),
    warnings: z.array(
      z.object({ limit: limitName, used: z.number(), ratio: z.number(), level: z.enum(["80%", "100%"]) }),
    ),
  })
  .openapi("Usage");
