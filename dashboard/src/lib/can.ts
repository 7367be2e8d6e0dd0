import type { ComponentChildren } from "preact";
import { useSession } from "./session";
import type { Role, Scope, Session } from "./types";

// What a role may do in the dashboard, mirroring the server's rules
// (worker/lib/principal.ts roleScopes, services/api-keys revokeApiKey,
// services/members). The server still decides; this only keeps controls that
// would fail out of the page.
export type Action =
  | "run.edit" // name, notes, tags, pin
  | "project.create"
  | "artifact.alias"
  | "report.edit"
  | "key.create"
  | "key.revoke.own"
  | "key.revoke.any"
  | "member.manage"
  | "team.delete";

const minRole: Record<Action, Role> = {
  "run.edit": "member",
  "project.create": "member",
  "artifact.alias": "member",
  "report.edit": "member",
  "key.create": "member",
  "key.revoke.own": "member",
  "key.revoke.any": "admin",
  "member.manage": "admin",
  "team.delete": "owner",
};

// The scope a session or key needs besides the role (a read-only key signed
// in as an owner still cannot write).
const needs: Record<Action, Scope> = {
  "run.edit": "write",
  "project.create": "write",
  "artifact.alias": "write",
  "report.edit": "write",
  "key.create": "write",
  "key.revoke.own": "write",
  "key.revoke.any": "write",
  "member.manage": "admin",
  "team.delete": "admin",
};

const rank: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function can(role: Role | undefined, action: Action, scopes?: Scope[]): boolean {
  if (!role) return false;
  if (scopes && !scopes.includes(needs[action])) return false;
  return rank[role] >= rank[minRole[action]];
}

export const canIn = (s: Session | undefined, action: Action) => !!s && can(s.team.role, action, s.scopes);

// False until the session has loaded, so a control never flashes for a viewer.
export function useCan(action: Action): boolean {
  return canIn(useSession()?.session, action);
}

// Renders its children only when the signed-in role may do `action`:
// <Can action="project.create"><button>New project</button></Can>.
export function Can({ action, children }: { action: Action; children?: ComponentChildren }): ComponentChildren {
  return useCan(action) ? children : null;
}
