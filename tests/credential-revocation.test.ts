import { describe, expect, test } from "vitest";
import { api, randomIp, sessionCookie, uniq, type Creds } from "./helpers/api";
import { sql } from "./helpers/db";
import { TEST_KEY_CACHE_TTL_SECONDS } from "./helpers/global-setup";
import { expectError, makeKey, makeProject, makeTeam, type Team } from "./helpers/harness";
import { cookieIn, joinTeam } from "./helpers/membership";
import { runCron } from "./helpers/scheduled";
import { signWithTestKey } from "./helpers/tokens";

// Every change below must reach other isolates within the cache TTL (≤ 60 s in
// production, 2 s under test); waiting it out proves the bound, whatever isolate answers.
const pastTtl = () => new Promise((r) => setTimeout(r, (TEST_KEY_CACHE_TTL_SECONDS + 0.5) * 1000));

const canRead = async (creds: Creds, projectId: string) => (await api("GET", `/api/v1/projects/${projectId}/runs`, { creds })).status;
const canWrite = async (creds: Creds, projectId: string) =>
  (await api("POST", `/api/v1/projects/${projectId}/runs`, { creds, json: {} })).status;

async function tokenFrom(key: string) {
  const res = await api("POST", "/api/v1/auth/token", { creds: { key } });
  expect(res.status, res.text).toBe(200);
  return { token: res.body.access_token as string };
}

// A second user in `owner`'s team with a session cookie and an access token of their own.
async function memberOf(owner: Team, role: "admin" | "member" = "member") {
  const user = await makeTeam("Member");
  await joinTeam(owner, user, role);
  const session = await cookieIn(user, owner.id);
  const key = await api("POST", "/api/v1/api-keys", { creds: session, json: { label: "m", scopes: ["read", "write"] } });
  expect(key.status, key.text).toBe(201);
  return { user, session, key: key.body.key as string, keyId: key.body.api_key.id as string, ...(await tokenFrom(key.body.key)) };
}

describe("removing a member", () => {
  test("ends their session and access tokens in that team, and revokes their keys there", async () => {
    const owner = await makeTeam();
    const project = await makeProject(owner);
    const m = await memberOf(owner);
    expect(await canRead(m.session, project.id)).toBe(200);
    expect(await canWrite(m.session, project.id)).toBe(201);
    expect(await canWrite({ token: m.token }, project.id)).toBe(201);

    expect((await api("DELETE", `/api/v1/members/${m.user.userId}`, { creds: owner.creds })).status).toBe(204);
    await pastTtl();
    expectError(await api("GET", `/api/v1/projects/${project.id}/runs`, { creds: m.session }), 401, "unauthenticated");
    expectError(await api("POST", `/api/v1/projects/${project.id}/runs`, { creds: m.session, json: {} }), 401, "unauthenticated");
    expectError(await api("GET", `/api/v1/projects/${project.id}/runs`, { creds: { token: m.token } }), 401, "unauthenticated");
    expectError(await api("GET", "/api/v1/projects", { creds: { key: m.key } }), 401, "unauthenticated");
    const keys = await api("GET", "/api/v1/api-keys", { creds: owner.creds });
    expect(keys.body.api_keys.find((k: any) => k.id === m.keyId).revoked_at).toBeTypeOf("string");

    // Re-joining later (an invite accepted) does not bring the old key back.
    await joinTeam(owner, m.user, "member");
    await pastTtl();
    expectError(await api("GET", "/api/v1/projects", { creds: { key: m.key } }), 401, "unauthenticated");
  });

  test("leaves the user's session in their own team working", async () => {
    const owner = await makeTeam();
    const m = await memberOf(owner);
    expect((await api("DELETE", `/api/v1/members/${m.user.userId}`, { creds: owner.creds })).status).toBe(204);
    await pastTtl();
    const me = await api("GET", "/api/v1/me", { creds: { cookie: m.user.cookie } });
    expect(me.status, me.text).toBe(200);
    expect(me.body.team.id).toBe(m.user.id);
  });
});

describe("changing a member's role", () => {
  test("demotion takes effect on their session and tokens within the TTL", async () => {
    const owner = await makeTeam();
    const project = await makeProject(owner);
    const m = await memberOf(owner, "member");
    expect(await canWrite(m.session, project.id)).toBe(201);
    expect(await canWrite({ token: m.token }, project.id)).toBe(201);

    const demote = await api("PATCH", `/api/v1/members/${m.user.userId}`, { creds: owner.creds, json: { role: "viewer" } });
    expect(demote.status, demote.text).toBe(200);
    await pastTtl();
    expectError(await api("POST", `/api/v1/projects/${project.id}/runs`, { creds: m.session, json: {} }), 403, "permission_denied");
    expectError(await api("POST", `/api/v1/projects/${project.id}/runs`, { creds: { token: m.token }, json: {} }), 403, "permission_denied");
    expect(await canRead(m.session, project.id)).toBe(200);
    expect(await canRead({ token: m.token }, project.id)).toBe(200);
    const me = await api("GET", "/api/v1/me", { creds: m.session });
    expect(me.body.scopes).toEqual(["read"]);
  });

  test("promotion takes effect on the session without logging in again", async () => {
    const owner = await makeTeam();
    const user = await makeTeam("Member");
    await joinTeam(owner, user, "viewer");
    const m = { user, session: await cookieIn(user, owner.id) };
    const before = await api("POST", "/api/v1/api-keys", { creds: m.session, json: { label: "admin", scopes: ["admin"] } });
    expectError(before, 403, "permission_denied");
    const promote = await api("PATCH", `/api/v1/members/${m.user.userId}`, { creds: owner.creds, json: { role: "admin" } });
    expect(promote.status, promote.text).toBe(200);
    await pastTtl();
    const me = await api("GET", "/api/v1/me", { creds: m.session });
    expect(me.body.scopes).toEqual(["read", "write", "admin"]);
    const key = await api("POST", "/api/v1/api-keys", { creds: m.session, json: { label: "admin", scopes: ["admin"] } });
    expect(key.status, key.text).toBe(201);
  });
});

describe("log-out", () => {
  test("ends the session for every copy of its cookie, in every team it switched to", async () => {
    const owner = await makeTeam();
    const second = await api("POST", "/api/v1/teams", { creds: owner.creds, json: { name: `second-${uniq()}` } });
    expect(second.status, second.text).toBe(201);
    const login = await api("POST", "/api/v1/login", {
      json: { email: owner.email, password: owner.password },
      headers: { "cf-connecting-ip": randomIp() },
    });
    const first = { cookie: sessionCookie(login.headers) };
    const sw = await api("POST", "/api/v1/auth/switch-team", { creds: first, json: { team_id: second.body.team.id } });
    const switched = { cookie: sessionCookie(sw.headers) };
    expect((await api("GET", "/api/v1/me", { creds: first })).status).toBe(200);
    expect((await api("GET", "/api/v1/me", { creds: switched })).status).toBe(200);

    expect((await api("POST", "/api/v1/logout", { creds: first })).status).toBe(204);
    await pastTtl();
    expectError(await api("GET", "/api/v1/projects", { creds: first }), 401, "unauthenticated");
    expectError(await api("GET", "/api/v1/projects", { creds: switched }), 401, "unauthenticated");
    // Other log-ins of the same user are not ended by this one.
    expect((await api("GET", "/api/v1/projects", { creds: { cookie: owner.cookie } })).status).toBe(200);
  });

  test("the cron sweeps ended sessions, and a swept session stays refused", async () => {
    const t = await makeTeam();
    const login = await api("POST", "/api/v1/login", { json: { email: t.email, password: t.password }, headers: { "cf-connecting-ip": randomIp() } });
    const cookie = { cookie: sessionCookie(login.headers) };
    expect((await api("POST", "/api/v1/logout", { creds: cookie })).status).toBe(204);
    await runCron();
    const rows = await sql<{ revoked: boolean }>("select revoked_at is not null as revoked from sessions where user_id = $1", [t.userId]);
    // The sign-up's session is live and stays; the logged-out one is gone.
    expect(rows).toEqual([{ revoked: false }]);
    await pastTtl();
    expectError(await api("GET", "/api/v1/projects", { creds: cookie }), 401, "unauthenticated");
    expect((await api("GET", "/api/v1/projects", { creds: { cookie: t.cookie } })).status).toBe(200);
  });

  test("a session ended behind the API's back is served from the cache, then refused", async () => {
    const t = await makeTeam();
    expect((await api("GET", "/api/v1/projects", { creds: { cookie: t.cookie } })).status).toBe(200);
    await sql("update sessions set revoked_at = now() where user_id = $1", [t.userId]);
    // Still answered from the cache: the session path does not query per request.
    expect((await api("GET", "/api/v1/projects", { creds: { cookie: t.cookie } })).status).toBe(200);
    await pastTtl();
    expectError(await api("GET", "/api/v1/projects", { creds: { cookie: t.cookie } }), 401, "unauthenticated");
  });

  test("a session cookie that names no session (issued before tracking) is refused", async () => {
    const t = await makeTeam();
    const legacy = await signWithTestKey({
      typ: "session",
      team: t.id,
      scopes: ["read", "write", "admin"],
      role: "owner",
      sub: t.userId,
      iss: "sightline",
      aud: "sightline-api",
    });
    expectError(await api("GET", "/api/v1/projects", { creds: { cookie: `sl_session=${legacy}` } }), 401, "unauthenticated");
  });
});

describe("revoking an API key", () => {
  test("ends the access tokens minted from it", async () => {
    const t = await makeTeam();
    const k = await makeKey(t, ["read", "write"]);
    const { token } = await tokenFrom(k.key);
    expect((await api("GET", "/api/v1/projects", { creds: { token } })).status).toBe(200);
    expect((await api("DELETE", `/api/v1/api-keys/${k.id}`, { creds: t.creds })).status).toBe(204);
    await pastTtl();
    expectError(await api("GET", "/api/v1/projects", { creds: { token } }), 401, "unauthenticated");
    // Tokens of other keys are untouched.
    const other = await tokenFrom(t.key);
    expect((await api("GET", "/api/v1/projects", { creds: other })).status).toBe(200);
  });

  test("revoked behind the API's back, its tokens stop within the TTL", async () => {
    const t = await makeTeam();
    const k = await makeKey(t, ["read"]);
    const { token } = await tokenFrom(k.key);
    expect((await api("GET", "/api/v1/projects", { creds: { token } })).status).toBe(200);
    await sql("update api_keys set revoked_at = now() where id = $1", [k.id]);
    await pastTtl();
    expectError(await api("GET", "/api/v1/projects", { creds: { token } }), 401, "unauthenticated");
  });

  test("an access token that names no key is refused", async () => {
    const t = await makeTeam();
    const bare = await signWithTestKey({
      typ: "access",
      team: t.id,
      scopes: ["read"],
      role: "owner",
      sub: t.userId,
      iss: "sightline",
      aud: "sightline-api",
    });
    expectError(await api("GET", "/api/v1/projects", { creds: { token: bare } }), 401, "unauthenticated");
  });
});
