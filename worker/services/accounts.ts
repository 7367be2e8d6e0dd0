import { and, eq, isNull } from "drizzle-orm";
import { memberships, teams, users, type Role } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import { newId } from "../lib/ids";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "../lib/password";
import { roleScopes } from "../lib/principal";
import { createApiKey } from "./api-keys";
import { acceptInvite } from "./invites";

export type TeamView = { id: string; name: string; plan: string; role: Role };

export async function signUp(db: Db, input: { email: string; password: string; teamName: string; name?: string; plan?: string }) {
  const passwordHash = await hashPassword(input.password);
  const userId = newId("usr");
  const teamId = newId("team");
  return db.transaction(async (tx) => {
    const taken = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
    if (taken.length) throw new ApiError("conflict", "email: an account with this email already exists; log in instead");
    await tx.insert(users).values({ id: userId, email: input.email, passwordHash, name: input.name ?? null });
    await tx.insert(teams).values({ id: teamId, name: input.teamName, plan: input.plan ?? "free" });
    await tx.insert(memberships).values({ teamId, userId, role: "owner" });
    const key = await createApiKey(tx, teamId, userId, "owner", {
      label: "first key",
      scopes: ["read", "write", "admin"],
    });
    return {
      user: { id: userId, email: input.email, name: input.name ?? null },
      team: { id: teamId, name: input.teamName, plan: input.plan ?? "free", role: "owner" as Role },
      key,
    };
  });
}

// Sign-up through an invite link: the new user joins the inviting team (the
// seat taken as on accept) and gets no team of their own, as W&B does. All in
// one transaction: an unusable invite leaves no account behind.
export async function signUpWithInvite(db: Db, input: { email: string; password: string; name?: string; invite: string }) {
  const passwordHash = await hashPassword(input.password);
  const userId = newId("usr");
  return db.transaction(async (tx) => {
    const taken = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
    if (taken.length) throw new ApiError("conflict", "email: an account with this email already exists; log in and accept the invite instead");
    await tx.insert(users).values({ id: userId, email: input.email, passwordHash, name: input.name ?? null });
    const { team, invite } = await acceptInvite(tx as unknown as Db, input.invite, { id: userId });
    const key = await createApiKey(tx, team.id, userId, team.role, { label: "first key", scopes: roleScopes[team.role] });
    return { user: { id: userId, email: input.email, name: input.name ?? null }, team, key, invite };
  });
}

// Spends the same KDF time whether or not the email exists, and says the same
// thing for an unknown email and a wrong password.
export async function checkCredentials(db: Db, email: string, password: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) throw new ApiError("unauthenticated", "email or password is incorrect");
  return { id: user.id, email: user.email, name: user.name };
}

// Teams being deleted are no longer listed, switched to or logged in to.
export async function teamsOfUser(db: Db, userId: string): Promise<TeamView[]> {
  return db
    .select({ id: teams.id, name: teams.name, plan: teams.plan, role: memberships.role })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(and(eq(memberships.userId, userId), isNull(teams.deletingAt)))
    .orderBy(memberships.createdAt);
}

export async function membershipOf(db: Db, teamId: string, userId: string): Promise<TeamView | null> {
  const [row] = await db
    .select({ id: teams.id, name: teams.name, plan: teams.plan, role: memberships.role })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId), isNull(teams.deletingAt)))
    .limit(1);
  return row ?? null;
}

export async function getUser(db: Db, userId: string) {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw new ApiError("unauthenticated", "the user of this session no longer exists");
  return user;
}

export async function createTeam(db: Db, userId: string, name: string, plan = "free"): Promise<TeamView> {
  const teamId = newId("team");
  await db.transaction(async (tx) => {
    await tx.insert(teams).values({ id: teamId, name, plan });
    await tx.insert(memberships).values({ teamId, userId, role: "owner" });
  });
  return { id: teamId, name, plan, role: "owner" };
}
