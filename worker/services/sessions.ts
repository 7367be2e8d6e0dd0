import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { memberships, sessions, teams } from "../../schema";
import type { Db } from "../lib/db";
import { randomBase62 } from "../lib/ids";
import type { CachedSession } from "../lib/key-cache";

// A log-in. Expired rows of the same user are swept here, on the write path that
// adds rows, so the table stays at about one row per live session.
export async function createSession(db: Db, userId: string, ttlSeconds: number) {
  const id = `ses_${randomBase62(24)}`;
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, new Date())));
  await db.insert(sessions).values({ id, userId, expiresAt });
  return { id, expiresAt };
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

// The auth path's lookup: a session works in a team only while it is not logged
// out, its user is still a member there and the team is not being deleted, and
// with that member's current role.
export async function lookupSession(db: Db, sessionId: string, teamId: string): Promise<CachedSession> {
  const [row] = await db
    .select({ userId: sessions.userId, revokedAt: sessions.revokedAt, role: memberships.role })
    .from(sessions)
    .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.teamId, teamId)))
    .innerJoin(teams, and(eq(teams.id, teamId), isNull(teams.deletingAt)))
    .where(eq(sessions.id, sessionId))
    .limit(1);
  if (!row || row.revokedAt) return null;
  return { userId: row.userId, teamId, role: row.role };
}

// Cron: drops sessions past their expiry, and logged-out ones (a missing row is
// refused just like a revoked one). Bounded per run, like the other sweeps.
export async function sweepSessions(db: Db, batch = 5000): Promise<void> {
  await db.execute(sql`
    delete from sessions where id in (
      select id from sessions where expires_at < now() or revoked_at is not null limit ${batch})`);
}
