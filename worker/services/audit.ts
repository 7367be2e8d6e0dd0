import { auditLog, type actorKinds } from "../../schema";
import type { Db } from "../lib/db";
import type { Principal } from "../lib/principal";

// The audit log: who (user or key), what, on which resource, when, from which
// address. Append-only (a trigger refuses UPDATE). Written in the caller's
// transaction where there is one, so an audited change and its row commit
// together.

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

export const actorOf = (p: Principal, address?: string | null): Actor => ({
  kind: p.via === "api_key" ? "api_key" : "user",
  userId: p.userId,
  keyId: p.keyId ?? null,
  address: address ?? null,
});

export const systemActor: Actor = { kind: "system" };
export const operatorActor = (who: string): Actor => ({ kind: "operator", userId: who });

export async function recordAudit(db: Db, teamId: string, actor: Actor, event: AuditEvent): Promise<void> {
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
