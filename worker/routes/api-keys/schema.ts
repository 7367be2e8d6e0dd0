import { z } from "@hono/zod-openapi";
import { text } from "../../lib/validation";
import { scopeSchema } from "../auth/schema";

export const createKeyBody = z
  .object({
    label: text(100),
    scopes: z.array(scopeSchema).min(1, "give at least one scope").max(3),
    expires_at: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" }).optional(),
    expires_in_days: z.number().int().min(1).max(3650).optional(),
  })
  .refine((b) => !(b.expires_at && b.expires_in_days), "give expires_at or expires_in_days, not both");

export const keyParams = z.object({
  key_id: z.string().min(1).max(64).openapi({ param: { name: "key_id", in: "path" } }),
});
