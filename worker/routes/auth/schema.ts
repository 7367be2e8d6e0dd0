import { z } from "@hono/zod-openapi";
import { email, password, text, timestamp } from "../../lib/validation";

export const roleSchema = z.enum(["owner", "admin", "member", "viewer"]);
export const scopeSchema = z.enum(["read", "write", "admin"]);

export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }).openapi("User");
export const teamSchema = z
  .object({ id: z.string(), name: z.string(), plan: z.string(), role: roleSchema })
  .openapi("TeamMembership");

export const signupBody = z
  .object({
    email,
    password,
    team_name: text(100).optional(),
    name: text(100).optional(),
    // An invite token (inv_…): join that team instead of making one.
    invite: z.string().min(1).max(200).optional(),
  })
  .refine((b) => b.team_name !== undefined || b.invite !== undefined, { message: "team_name is required (or sign up with an invite)", path: ["team_name"] });

export const loginBody = z.object({
  email,
  password: z.string().min(1, "must not be empty").max(256),
  // An invite token (inv_…): accept it and log in to that team. The way in for
  // a user who has left (or lost) every team.
  invite: z.string().min(1).max(200).optional(),
});

export const apiKeySchema = z
  .object({
    id: z.string(),
    label: z.string(),
    scopes: z.array(scopeSchema),
    user_id: z.string(),
    created_at: timestamp,
    expires_at: timestamp.nullable(),
    revoked_at: timestamp.nullable(),
    last_used_at: timestamp.nullable(),
  })
  .openapi("ApiKey");

export const sessionSchema = z
  .object({ user: userSchema, team: teamSchema, teams: z.array(teamSchema), scopes: z.array(scopeSchema), via: z.string() })
  .openapi("Session");

export const signupResponse = z.object({
  user: userSchema,
  team: teamSchema,
  api_key: apiKeySchema.extend({ key: z.string().openapi({ description: "The secret, shown once" }) }),
});

export const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
});
