import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { apiKeys, memberships, teams, users, type Role } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";
import { planOf } from "../lib/plans";
import { roleRank } from "../lib/principal";

export async function listMembers(db: Db, teamId: string) {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.teamId, teamId))
    .orderBy(asc(memberships.createdAt));
}

// Members join only by accepting an invite (consent), which the invites work
// builds on this: each member takes a seat, and the plan caps seats. The team
// row is locked so two concurrent joins cannot both take the last seat.
export async function admitMember(db: Db, teamId: string, userId: string, role: Role) {
  return db.transaction(async (tx) => {
    const [team] = await tx.select({ plan: teams.plan }).from(teams).where(eq(teams.id, teamId)).for("update");
    if (!team) throw notFound("team");
    const [{ seats } = { seats: 0 }] = await tx
      .select({ seats: count() })
      .from(memberships)
      .where(eq(memberships.teamId, teamId));
    const plan = planOf(team.plan);
    if (seats >= plan.seats) {
      throw new ApiError("quota_exceeded", `seats: the ${plan.name} plan allows ${plan.seats} members; upgrade the plan to add more`, {
        limit: "seats",
        value: plan.seats,
      });
    }
    const inserted = await tx
      .insert(memberships)
      .values({ teamId, userId, role })
      .onConflictDoNothing()
      .returning({ userId: memberships.userId });
    if (!inserted.length) throw new ApiError("conflict", "already a member of this team");
  });
}

export async function changeRole(db: Db, teamId: string, actorRole: Role, userId: string, role: Role) {
  const current = await memberOrThrow(db, teamId, userId);
  assertCanGrant(actorRole, role);
  assertCanGrant(actorRole, current.role);
  if (current.role === "owner" && role !== "owner") await assertAnotherOwner(db, teamId);
  await db.update(memberships).set({ role }).where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
}

export async function removeMember(db: Db, teamId: string, actor: { userId: string; role: Role }, userId: string) {
  const current = await memberOrThrow(db, teamId, userId);
  if (actor.userId !== userId) assertCanGrant(actor.role, current.role);
  if (current.role === "owner") await assertAnotherOwner(db, teamId);
  // The member's keys in this team are revoked with the membership, so a later
  // re-join does not bring old keys (or tokens minted from them) back to life.
  await db.transaction(async (tx) => {
    await tx.delete(memberships).where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
    await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.teamId, teamId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)));
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

async function assertAnotherOwner(db: Db, teamId: string) {
  const [{ owners } = { owners: 0 }] = await db
    .select({ owners: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.role, "owner")));
  if (owners <= 1) throw new ApiError("conflict", "a team must keep at least one owner; make someone else owner first");
}
