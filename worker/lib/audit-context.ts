import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { Writer } from "./db";
import { clientAddress } from "../routes/auth/client-address";
import { actorOf, recordAudit, type AuditEvent } from "../services/audit";

// For handlers: records an event for the calling principal's team, from the
// request's client address; through `db` when given (a transaction's tx, so the
// event commits with the change it records).
export function audit(c: Context<AppEnv>, event: AuditEvent, db: Writer = c.get("db")): Promise<void> {
  const p = c.get("principal");
  return recordAudit(db, p.teamId, actorOf(p, clientAddress(c)), event);
}
