import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { apiKeys, memberships, teams, users, type Role } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";
import { roleRank } from "../lib/principal";

export async function listMembers(db: Db, teamId: string) {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.teamId, teamId))
    .orderBy(asc(memberships.createdAt));
}

// A team always has exactly one owner: ownership moves only by transfer
// (transferOwnership), never by a role change.
export async function changeRole(db: Db, teamId: string, actorRole: Role, userId: string, role: Role) {
  const current = await memberOrThrow(db, teamId, userId);
  assertCanGrant(actorRole, role);
  assertCanGrant(actorRole, current.role);
  if (role === "owner" || current.role === "owner") {
    throw new ApiError("conflict", "a team has exactly one owner; use POST /api/v1/teams/transfer-ownership to hand it over");
  }
  await db.update(memberships).set({ role }).where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
  return { from: current.role, to: role };
}

export async function removeMember(db: Db, teamId: string, actor: { userId: string; role: Role }, userId: string) {
  const current = await memberOrThrow(db, teamId, userId);
  if (actor.userId !== userId) assertCanGrant(actor.role, current.role);
  if (current.role === "owner") {
    throw new ApiError("conflict", "the owner cannot leave or be removed; transfer ownership first (POST /api/v1/teams/transfer-ownership)");
  }
  await dropMembership(db, teamId, userId);
  return { role: current.role };
}

// Any member but the owner may leave.
export const leaveTeam = (db: Db, teamId: string, userId: string) => removeMember(db, teamId, { userId, role: "viewer" }, userId);

// The member's keys in this team are revoked with the membership, so a later
// re-join does not bring old keys (or tokens minted from them) back to life.
async function dropMembership(db: Db, teamId: string, userId: string) {
  await db.transaction(async (tx) => {
    await tx.delete(memberships).where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
    await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.teamId, teamId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)));
  });
}

// The owner hands the team to another member and becomes an admin, in one
// transaction on the locked team row, so two transfers cannot leave two owners.
export async function transferOwnership(db: Db, teamId: string, fromUserId: string, toUserId: string) {
  return db.transaction(async (tx) => {
    await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for("update");
    const rows = await tx
      .select({ userId: memberships.userId, role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.teamId, teamId), inArray(memberships.userId, [fromUserId, toUserId])));
    const from = rows.find((r) => r.userId === fromUserId);
    const to = rows.find((r) => r.userId === toUserId);
    if (from?.role !== "owner") throw new ApiError("permission_denied", "only the team's owner can transfer ownership");
    if (!to) throw notFound("member");
    if (fromUserId === toUserId) throw new ApiError("conflict", "user_id: you already own this team");
    await tx.update(memberships).set({ role: "owner" }).where(and(eq(memberships.teamId, teamId), eq(memberships.userId, toUserId)));
    await tx.update(memberships).set({ role: "admin" }).where(and(eq(memberships.teamId, teamId), eq(memberships.userId, fromUserId)));
    return { previousRole: to.role };
  });
}

async function memberOrThrow(db: Db, teamId: string, userId: string) {
  const [m] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)))
    .limit(1);
  if (!m) throw notFound("member");
  return m;
}

// Admins manage members up to admin; only owners make or unmake owners.
function assertCanGrant(actor: Role, target: Role) {
  if (roleRank[actor] < roleRank.admin) throw new ApiError("permission_denied", "managing members needs the admin role");
  if (target === "owner" && actor !== "owner") throw new ApiError("permission_denied", "only an owner can grant or change the owner role");
}
