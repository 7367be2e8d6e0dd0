import { expect } from "vitest";
import { api } from "../api";
import type { Area, RouteCase } from "../route-table";

// Routes of issue 11 (invites) for the shared security loop. The fixture's
// invite is pending; accepting it as the owner (already a member) is a 409,
// so the loop never spends it.
export const invitesRoutes: RouteCase[] = [
  { method: "POST", path: "/api/v1/invites", scope: "admin", body: () => ({ role: "viewer" }) },
  { method: "GET", path: "/api/v1/invites", scope: "admin" },
  { method: "DELETE", path: "/api/v1/invites/{invite}", scope: "admin", owned: true, params: (f) => ({ invite: f.inviteId }) },
  { method: "GET", path: "/api/v1/invites/lookup", scope: "public", query: (f) => ({ token: f.inviteToken }) },
  { method: "POST", path: "/api/v1/invites/accept", scope: "read", body: (f) => ({ token: f.inviteToken }) },
];

export const invitesArea: Area = {
  routes: invitesRoutes,
  fixture: async (f) => {
    const res = await api("POST", "/api/v1/invites", { creds: f.team.creds, json: { role: "member" } });
    expect(res.status, res.text).toBe(201);
    return { inviteId: res.body.invite.id as string, inviteToken: res.body.token as string };
  },
};
