import { and, desc, eq, gte, like, lt, or, type SQL } from "drizzle-orm";
import { auditLog, users, type actorKinds } from "../../schema";
import type { Db, Writer } from "../lib/db";
import { ApiError } from "../lib/errors";
import type { Principal } from "../lib/principal";
import { fnv1a, fromBase64Url, toBase64Url } from "../lib/page-token";

// The audit log: who (user or key), what, on which resource, when, from which
// address. Append-only (a trigger refuses UPDATE; no route changes or deletes a
// row; rows go only with their team). Written in the caller's transaction
// where there is one, so an audited change and its row commit together.

export type Actor = {
  kind: (typeof actorKinds)[number];
  userId?: string | null;
  keyId?: string | null;
  address?: string | null;
};

export type AuditEvent = {
  action: string; // "<resource>.<verb>": api_key.create, member.remove, invite.accept, plan.set, run.delete, retention.pass …
  resourceType: string;
  resourceId?: string | null;
  details?: Record<string, unknown>;
};

// An access token is minted from a key and acts as that key, so it is recorded
// as the key (with its id), like the key itself; only sessions are "user".
export const actorOf = (p: Principal, address?: string | null): Actor => ({
  kind: p.keyId ? "api_key" : "user",
  userId: p.userId,
  keyId: p.keyId ?? null,
  address: address ?? null,
});

export const systemActor: Actor = { kind: "system" };
export const operatorActor = (who: string): Actor => ({ kind: "operator", userId: who });

export async function recordAudit(db: Writer, teamId: string, actor: Actor, event: AuditEvent): Promise<void> {
  await db.insert(auditLog).values({
    teamId,
    actorKind: actor.kind,
    actorUserId: actor.userId ?? null,
    actorKeyId: actor.keyId ?? null,
    address: actor.address ?? null,
    action: event.action,
    resourceType: event.resourceType,
    resourceId: event.resourceId ?? null,
    details: event.details ?? {},
  });
}

// ---- Reading ----

export type AuditQuery = {
  // Exact ("run.delete") or a prefix ending in "*" ("member.*").
  action?: string;
  // A user id or an API key id.
  actor?: string;
  resourceType?: string;
  resourceId?: string;
  since?: Date;
  until?: Date;
  limit: number;
  cursor?: string;
};

export type AuditEntry = {
  id: number;
  at: Date;
  actorKind: string;
  actorUserId: string | null;
  actorKeyId: string | null;
  email: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  address: string | null;
  details: Record<string, unknown>;
};

// Newest first, keyset-paged on id (the primary key (team_id, id) serves the
// order; an action filter walks (team_id, action, id)).
export async function listAudit(db: Db, teamId: string, q: AuditQuery): Promise<{ events: AuditEntry[]; nextCursor: string | null }> {
  if (q.since && q.until && q.since.getTime() > q.until.getTime()) {
    throw new ApiError("invalid_argument", "since: must not be after until");
  }
  const filters = filterKey(q);
  const before = q.cursor ? decodeAuditCursor(q.cursor, filters) : null;
  const where: (SQL | undefined)[] = [eq(auditLog.teamId, teamId)];
  if (q.action) where.push(actionCondition(q.action));
  if (q.actor) where.push(or(eq(auditLog.actorUserId, q.actor), eq(auditLog.actorKeyId, q.actor)));
  if (q.resourceType) where.push(eq(auditLog.resourceType, q.resourceType));
  if (q.resourceId) where.push(eq(auditLog.resourceId, q.resourceId));
  if (q.since) where.push(gte(auditLog.at, q.since));
  if (q.until) where.push(lt(auditLog.at, q.until));
  if (before !== null) where.push(lt(auditLog.id, before));
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorKind: auditLog.actorKind,
      actorUserId: auditLog.actorUserId,
      actorKeyId: auditLog.actorKeyId,
      email: users.email,
      action: auditLog.action,
      resourceType: auditLog.resourceType,
      resourceId: auditLog.resourceId,
      address: auditLog.address,
      details: auditLog.details,
    })
    .from(auditLog)
    // Operator and system actors name no user: their email stays null.
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { events: page, nextCursor: rows.length > q.limit && last ? encodeAuditCursor(last.id, filters) : null };
}

const ACTION = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

// Checked here as well as in the route's schema, so no caller can hand LIKE a
// wildcard of its own: "_" is escaped, "%" cannot pass.
export function checkActionFilter(action: string): string | null {
  if (action === "*") return null;
  const prefix = action.endsWith("*") ? action.slice(0, -1) : null;
  const body = prefix ?? action;
  const core = prefix !== null && body.endsWith(".") ? body.slice(0, -1) : body;
  if (!ACTION.test(core)) return 'use an action name like "run.delete", or a prefix ending in "*" like "member.*"';
  return null;
}

function actionCondition(action: string): SQL | undefined {
  const problem = checkActionFilter(action);
  if (problem) throw new ApiError("invalid_argument", `action: ${problem}`);
  if (action === "*") return undefined;
  if (!action.endsWith("*")) return eq(auditLog.action, action);
  // A LIKE with a literal prefix is a range on (team_id, action, id) under the
  // C collation the database uses, and stays correct under any other.
  return like(auditLog.action, `${action.slice(0, -1).replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
}

// The cursor carries the last id and a digest of the filters it was made
// under: reused with other filters, or altered, it is a 400, not a wrong page.
function filterKey(q: AuditQuery): string {
  return JSON.stringify([q.action ?? "", q.actor ?? "", q.resourceType ?? "", q.resourceId ?? "", q.since?.getTime() ?? "", q.until?.getTime() ?? ""]);
}

// FNV-1a, 32 bits: enough to tell filter sets apart; not a secret.
const digest = fnv1a;

function encodeAuditCursor(id: number, filters: string): string {
  const raw = `a1.${id}.${digest(filters)}`;
  return toBase64Url(`${raw}.${digest(raw)}`);
}

export function decodeAuditCursor(cursor: string, filters: string): number {
  const invalid = new ApiError("invalid_argument", "cursor: not a cursor from this listing");
  let text: string;
  try {
    text = fromBase64Url(cursor);
  } catch {
    throw invalid;
  }
  const m = /^(a1\.(\d{1,16})\.([0-9a-z]{1,8}))\.([0-9a-z]{1,8})$/.exec(text);
  if (!m || digest(m[1]!) !== m[4]) throw invalid;
  if (m[3] !== digest(filters)) throw new ApiError("invalid_argument", "cursor: was made for other filters; start again without it");
  const id = Number(m[2]);
  if (!Number.isSafeInteger(id)) throw invalid;
  return id;
}
