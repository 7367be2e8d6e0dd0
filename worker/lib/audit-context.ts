import type { Context } from "hono";
import type { AppEnv } from "../env";
import { clientAddress } from "../routes/auth/client-address";
import { actorOf, recordAudit, type AuditEvent } from "../services/audit";

// For handlers: records an event for the calling principal's team, from the
// request's client address.
export function audit(c: Context<AppEnv>, event: AuditEvent): Promise<void> {
  const p = c.get("principal");
  return recordAudit(c.get("db"), p.teamId, actorOf(p, clientAddress(c)), event);
}
