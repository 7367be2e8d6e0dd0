import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { email, timestamp } from "../../lib/validation";
import { INVITE_ID_PATTERN, inviteStatus } from "../../services/invites";

export const inviteRoleSchema = z.enum(["admin", "member", "viewer"]);

export const inviteSchema = z
  .object({
    id: z.string(),
    role: inviteRoleSchema,
    email: z.string().nullable(),
    created_by: z.string(),
    created_at: timestamp,
    expires_at: timestamp,
    accepted_at: timestamp.nullable(),
    accepted_by: z.string().nullable(),
    revoked_at: timestamp.nullable(),
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
  })
  .openapi("Invite");

export const createInviteBody = z.object({
  role: inviteRoleSchema,
  email: email.optional(),
  expires_in_hours: z.number().int("must be a whole number of hours").min(1).max(720).default(168),
});

export const tokenSchema = z.string().min(1, "must not be empty").max(200).openapi({ example: "inv_…" });

export const inviteParams = z.object({
  invite: z.string().min(1).max(64).openapi({ param: { name: "invite", in: "path" } }),
});

// /invites/lookup and /invites/accept sit beside /invites/{invite}: a segment
// that cannot be an invite id is no route (the app's 404), not "invite not
// found", so DELETE /invites/lookup does not pretend to be served.
export const inviteIdOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!INVITE_ID_PATTERN.test(c.req.param("invite") ?? "")) return c.notFound();
  await next();
});

type Row = {
  id: string;
  role: string;
  email: string | null;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  revokedAt: Date | null;
};

export const inviteJson = (i: Row) => ({
  id: i.id,
  role: i.role as z.infer<typeof inviteRoleSchema>,
  email: i.email,
  created_by: i.createdBy,
  created_at: i.createdAt.toISOString(),
  expires_at: i.expiresAt.toISOString(),
  accepted_at: i.acceptedAt?.toISOString() ?? null,
  accepted_by: i.acceptedBy,
  revoked_at: i.revokedAt?.toISOString() ?? null,
  status: inviteStatus(i),
});
