import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { invites, memberships, teams, users, type Role } from "../../schema";
import { hashApiKey, sameHash } from "../lib/api-key-format";
import type { Db } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";
import { randomBase62 } from "../lib/ids";
import { effectiveLimits, isPlanName } from "../lib/plans";
import { roleRank } from "../lib/principal";
import { QuotaError } from "./team-limits";

// Invite links: `inv_<id>_<secret>`, shown once; only a SHA-256 of the whole
// token is stored (the secret is high-entropy, as with API keys). The id is a
// lookup handle, so a token is found without knowing its team.
const TOKEN_PATTERN = /^inv_([0-9a-zA-Z]{16})_([0-9a-zA-Z]{40})$/;
export const INVITE_ID_PATTERN = /^[0-9a-zA-Z]{16}$/;

export type InviteRole = Exclude<Role, "owner">;
export type InviteStatus = "pending" | "accepted" | "revoked" | "expired";
type InviteRow = typeof invites.$inferSelect;

export const inviteStatus = (i: Pick<InviteRow, "acceptedAt" | "revokedAt" | "expiresAt">, now = Date.now()): InviteStatus =>
  i.acceptedAt ? "accepted" : i.revokedAt ? "revoked" : i.expiresAt.getTime() <= now ? "expired" : "pending";

// Nobody invites an owner (ownership moves only by transfer); admins invite up to admin.
export async function createInvite(
  db: Db,
  teamId: string,
  actor: { userId: string; role: Role },
  input: { role: InviteRole; email?: string; expiresInHours: number },
) {
  if (roleRank[actor.role] < roleRank.admin) throw new ApiError("permission_denied", "inviting needs the admin role");
  const id = randomBase62(16);
  const token = `inv_${id}_${randomBase62(40)}`;
  const [row] = await db
    .insert(invites)
    .values({
      id,
      teamId,
      secretHash: await hashApiKey(token),
      role: input.role,
      email: input.email ?? null,
      createdBy: actor.userId,
      expiresAt: new Date(Date.now() + input.expiresInHours * 3_600_000),
    })
    .returning();
  return { invite: row!, token };
}

export async function listInvites(db: Db, teamId: string): Promise<InviteRow[]> {
  return db.select().from(invites).where(eq(invites.teamId, teamId)).orderBy(desc(invites.createdAt), desc(invites.id));
}

// Only a pending invite can be revoked; revoking one that was used or has
// lapsed says so rather than pretending.
export async function revokeInvite(db: Db, teamId: string, inviteId: string): Promise<InviteRow> {
  const [row] = await db.select().from(invites).where(and(eq(invites.teamId, teamId), eq(invites.id, inviteId))).limit(1);
  if (!row) throw notFound("invite");
  refuseUnusable(row);
  const [done] = await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(and(eq(invites.teamId, teamId), eq(invites.id, inviteId), isNull(invites.revokedAt), isNull(invites.acceptedAt)))
    .returning();
  if (!done) throw new ApiError("conflict", "this invite was used or revoked meanwhile");
  return done;
}

// Finds the invite a token names, or 404 for an unknown, tampered or
// malformed token (indistinguishable on purpose), or a team being deleted.
export async function inviteByToken(db: Pick<Db, "select">, token: string) {
  const m = TOKEN_PATTERN.exec(token);
  if (!m) throw notFound("invite");
  const [row] = await db
    .select({ invite: invites, teamName: teams.name, deletingAt: teams.deletingAt })
    .from(invites)
    .innerJoin(teams, eq(teams.id, invites.teamId))
    .where(eq(invites.id, m[1]!))
    .limit(1);
  if (!row || row.deletingAt || !sameHash(row.invite.secretHash, await hashApiKey(token))) throw notFound("invite");
  return { ...row.invite, teamName: row.teamName };
}

function refuseUnusable(i: InviteRow) {
  const status = inviteStatus(i);
  if (status === "accepted") throw new ApiError("invalid_argument", "token: this invite was already used");
  if (status === "revoked") throw new ApiError("invalid_argument", "token: this invite was revoked");
  if (status === "expired") throw new ApiError("invalid_argument", "token: this invite has expired; ask for a new one");
}

export async function lookupInvite(db: Db, token: string) {
  const invite = await inviteByToken(db, token);
  refuseUnusable(invite);
  return invite;
}

// The seat is taken here. One transaction holds the team row, so concurrent
// acceptances into one team queue on it: the seat count and the insert cannot
// interleave, and the last seat goes once. The invite row is consumed in the
// same transaction, so a token works once. Limits are read from the locked
// row (not the 10 s cache), so an operator's new seat count applies at once.
export async function acceptInvite(db: Db, token: string, user: { id: string }) {
  const found = await inviteByToken(db, token);
  return db.transaction(async (tx) => {
    const [team] = await tx
      .select({ id: teams.id, name: teams.name, plan: teams.plan, overrides: teams.planOverrides, deletingAt: teams.deletingAt })
      .from(teams)
      .where(eq(teams.id, found.teamId))
      .for("update");
    if (!team || team.deletingAt) throw notFound("invite");
    const [invite] = await tx.select().from(invites).where(eq(invites.id, found.id)).for("update");
    if (!invite) throw notFound("invite");
    refuseUnusable(invite);
    if (invite.email) {
      const [me] = await tx.select({ email: users.email }).from(users).where(eq(users.id, user.id)).limit(1);
      if (!me || me.email.toLowerCase() !== invite.email.toLowerCase()) {
        throw new ApiError("permission_denied", "this invite is meant for another email address; log in as that user to accept it");
      }
    }
    const [already] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.teamId, team.id), eq(memberships.userId, user.id)))
      .limit(1);
    if (already) throw new ApiError("conflict", `you are already a member of this team (as ${already.role})`);
    const plan = isPlanName(team.plan) ? team.plan : "free";
    const limit = effectiveLimits(plan, team.overrides).seats;
    const [{ used } = { used: 0 }] = await tx
      .select({ used: sql<number>`count(*)::int` })
      .from(memberships)
      .where(eq(memberships.teamId, team.id));
    if (used >= limit) {
      throw new QuotaError("quota", "seats", { limit, used, plan }, `seats: the team uses ${used} of its ${limit} seats`);
    }
    await tx.insert(memberships).values({ teamId: team.id, userId: user.id, role: invite.role });
    await tx.update(invites).set({ acceptedAt: new Date(), acceptedBy: user.id }).where(eq(invites.id, invite.id));
    return { team: { id: team.id, name: team.name, plan: team.plan, role: invite.role as Role }, invite };
  });
}
