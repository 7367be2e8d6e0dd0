import { uniq } from "../api";
import type { Area, RouteCase } from "../route-table";

export const platformRoutes: RouteCase[] = [
  { method: "GET", path: "/api/health", scope: "public" },
  { method: "POST", path: "/api/v1/signup", scope: "public" },
  { method: "POST", path: "/api/v1/login", scope: "public" },
  { method: "POST", path: "/api/v1/logout", scope: "public" },
  { method: "POST", path: "/api/v1/auth/token", scope: "read" },
  { method: "GET", path: "/api/v1/me", scope: "read" },
  { method: "POST", path: "/api/v1/auth/switch-team", scope: "read", sessionOnly: true, body: (f) => ({ team_id: f.team.id }) },
  { method: "GET", path: "/api/v1/teams", scope: "read" },
  { method: "POST", path: "/api/v1/teams", scope: "write", body: () => ({ name: `t-${uniq()}` }) },
  { method: "GET", path: "/api/v1/members", scope: "read" },
  { method: "POST", path: "/api/v1/members", scope: "admin", body: () => ({ email: `nobody-${uniq()}@example.com`, role: "viewer" }) },
  {
    method: "PATCH",
    path: "/api/v1/members/{user_id}",
    scope: "admin",
    owned: true,
    params: (f) => ({ user_id: f.otherUserId }),
    body: () => ({ role: "viewer" }),
  },
  { method: "DELETE", path: "/api/v1/members/{user_id}", scope: "write", owned: true, params: (f) => ({ user_id: f.otherUserId }) },
  // The owner cannot leave (409), so the loop's owner keys never leave.
  { method: "POST", path: "/api/v1/members/leave", scope: "read" },
  // To oneself: 409 for the owner, 404 for another team (the user is no member there).
  {
    method: "POST",
    path: "/api/v1/teams/transfer-ownership",
    scope: "admin",
    owned: true,
    body: (f) => ({ user_id: f.team.userId }),
  },
  // A wrong confirmation is a 400, so the loop never deletes its team.
  { method: "DELETE", path: "/api/v1/teams/current", scope: "admin", body: () => ({ confirm: "not the team's name" }) },
  { method: "GET", path: "/api/v1/api-keys", scope: "read" },
  { method: "POST", path: "/api/v1/api-keys", scope: "write", body: () => ({ label: "x", scopes: ["read"] }) },
  { method: "DELETE", path: "/api/v1/api-keys/{key_id}", scope: "write", owned: true, params: (f) => ({ key_id: f.spareKeyId }) },
  { method: "GET", path: "/api/v1/projects", scope: "read" },
  { method: "POST", path: "/api/v1/projects", scope: "write", body: () => ({ name: `p-${uniq()}` }) },
  { method: "GET", path: "/api/v1/projects/{project}", scope: "read", owned: true, params: (f) => ({ project: f.projectId }) },
  {
    method: "PATCH",
    path: "/api/v1/projects/{project}",
    scope: "write",
    owned: true,
    params: (f) => ({ project: f.projectId }),
    body: () => ({ description: "changed" }),
  },
  { method: "DELETE", path: "/api/v1/projects/{project}", scope: "write", owned: true, params: (f) => ({ project: f.projectId }) },
];

export const platform: Area = { routes: platformRoutes };
