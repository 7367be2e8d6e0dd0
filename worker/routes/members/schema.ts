import { z } from "@hono/zod-openapi";
import { email, timestamp } from "../../lib/validation";
import { roleSchema } from "../auth/schema";

export const memberSchema = z
  .object({ user_id: z.string(), email: z.string(), name: z.string().nullable(), role: roleSchema, joined_at: timestamp })
  .openapi("Member");

export const memberParams = z.object({
  user_id: z.string().min(1).max(64).openapi({ param: { name: "user_id", in: "path" } }),
});

export const addMemberBody = z.object({ email, role: roleSchema.default("member") });
export const changeRoleBody = z.object({ role: roleSchema });

export const memberJson = (m: { userId: string; email: string; name: string | null; role: z.infer<typeof roleSchema>; joinedAt: Date }) => ({
  user_id: m.userId,
  email: m.email,
  name: m.name,
  role: m.role,
  joined_at: m.joinedAt.toISOString(),
});
