import { z } from "@hono/zod-openapi";
import { checkActionFilter } from "../../services/audit";
import { text } from "../../lib/validation";

const iso = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z" });

export const auditQuery = z.object({
  action: z
    .string()
    .max(100, "must be at most 100 characters")
    .superRefine((a, ctx) => {
      const problem = checkActionFilter(a);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional()
    .openapi({ description: 'An action ("run.delete") or a prefix ending in "*" ("member.*")', example: "member.*" }),
  actor: text(64).optional().openapi({ description: "A user id (usr_...) or an API key id" }),
  resource_type: text(64).optional(),
  resource_id: text(200).optional(),
  since: iso.optional().openapi({ description: "Events at or after this time" }),
  until: iso.optional().openapi({ description: "Events before this time" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional().openapi({ description: "next_cursor of the previous page" }),
});

export const auditEventSchema = z
  .object({
    id: z.string().openapi({ description: "Increasing within the team" }),
    at: z.string().openapi({ format: "date-time" }),
    actor: z.object({
      kind: z.enum(["user", "api_key", "operator", "system"]),
      user_id: z.string().nullable(),
      email: z.string().nullable(),
      key_id: z.string().nullable(),
    }),
    action: z.string(),
    resource_type: z.string(),
    resource_id: z.string().nullable(),
    address: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi("AuditEvent");
