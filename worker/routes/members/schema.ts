import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
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

// /members/leave sits beside /members/{user_id}: a segment that cannot be a
// user id is no route (the app's 404), so PATCH /members/leave is not served.
const USER_ID = /^usr_[0-9a-zA-Z]{20}$/;
export const userIdOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!USER_ID.test(c.req.param("user_id") ?? "")) return c.notFound();
  await next();
});
