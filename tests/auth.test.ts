import { describe, expect, test } from "vitest";
import { api, randomIp, sessionCookie, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { TEST_KEY_CACHE_TTL_SECONDS } from "./helpers/global-setup";
import { expectError, makeKey, makeTeam } from "./helpers/harness";
import { joinTeam } from "./helpers/membership";

const ip = () => ({ "cf-connecting-ip": randomIp() });

describe("sign-up", () => {
  test("creates a team, its owner and a first key shown once; passwords are PBKDF2-hashed", async () => {
    const email = `Mixed.Case-${uniq()}@Example.com`;
    const res = await api("POST", "/api/v1/signup", {
      json: { email, password: "a long enough password", team_name: "  Vision Lab  " },
      headers: ip(),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.user.email).toBe(email.toLowerCase());
    expect(res.body.team).toMatchObject({ name: "Vision Lab", role: "owner", plan: "free" });
    expect(res.body.api_key.key).toMatch(/^sl_[0-9A-Za-z]{16}_[0-9A-Za-z]{40}$/);
    expect(res.body.api_key.scopes).toEqual(["read", "write", "admin"]);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("sl_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const [row] = await sql<{ password_hash: string }>("select password_hash from users where id = $1", [res.body.user.id]);
    expect(row!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    const keys = await api("GET", "/api/v1/api-keys", { creds: { key: res.body.api_key.key } });
    expect(keys.text).not.toContain(res.body.api_key.key.slice(20));
    const [stored] = await sql<{ secret_hash: string }>("select secret_hash from api_keys where id = $1", [res.body.api_key.id]);
    expect(stored!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("two users with different salts get different hashes for the same password", async () => {
    const a = await makeTeam();
    const b = await makeTeam();
    const rows = await sql<{ password_hash: string }>("select password_hash from users where id = any($1)", [[a.userId, b.userId]]);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
  });

  test("an email already registered is a 409", async () => {
    const t = await makeTeam();
    const res = await api("POST", "/api/v1/signup", {
      json: { email: t.email.toUpperCase(), password: "another password!", team_name: "X" },
      headers: ip(),
    });
    expectError(res, 409, "conflict");
  });
});

describe("log-in and sessions", () => {
  test("log in sets a session that authenticates /me; log out clears it", async () => {
    const t = await makeTeam();
    const res = await api("POST", "/api/v1/login", { json: { email: t.email, password: t.password }, headers: ip() });
    expect(res.status, res.text).toBe(200);
    const cookie = sessionCookie(res.headers);
    const me = await api("GET", "/api/v1/me", { creds: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: t.userId }, team: { id: t.id, role: "owner" }, via: "session" });
    const out = await api("POST", "/api/v1/logout", { creds: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join(";")).toMatch(/sl_session=;.*Max-Age=0/i);
  });

  test("a wrong password and an unknown email get the same answer", async () => {
    const t = await makeTeam();
    const wrong = await api("POST", "/api/v1/login", { json: { email: t.email, password: "not the password" }, headers: ip() });
    const unknown = await api("POST", "/api/v1/login", {
      json: { email: `nobody-${uniq()}@example.com`, password: "not the password" },
      headers: ip(),
    });
    expectError(wrong, 401, "unauthenticated");
    expectError(unknown, 401, "unauthenticated");
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  test("log-in is rate limited per client address, and other addresses are unaffected", async () => {
    const t = await makeTeam();
    const addr = randomIp();
    const statuses: number[] = [];
    // Wrong guesses at many accounts, so only the address counter fills up.
    for (let i = 0; i < 22; i++) {
      const r = await api("POST", "/api/v1/login", {
        json: { email: `guess-${i}-${uniq()}@example.com`, password: "wrong password" },
        headers: { "cf-connecting-ip": addr },
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    const limited = await api("POST", "/api/v1/login", { json: { email: t.email, password: t.password }, headers: { "cf-connecting-ip": addr } });
    expectError(limited, 429, "rate_limited");
    expect(limited.body.error.details.retry_after_seconds).toBeGreaterThan(0);
    const elsewhere = await api("POST", "/api/v1/login", { json: { email: t.email, password: t.password }, headers: ip() });
    expect(elsewhere.status).toBe(200);
  });

  test("log-in is also throttled per account, whatever address the guesses come from", async () => {
    const t = await makeTeam();
    const bystander = await makeTeam();
    for (let i = 0; i < 20; i++) {
      const r = await api("POST", "/api/v1/login", { json: { email: t.email, password: `wrong password ${i}` }, headers: ip() });
      expect(r.status, r.text).toBe(401);
    }
    // The right password from a fresh address is refused too while the window lasts.
    const limited = await api("POST", "/api/v1/login", { json: { email: t.email, password: t.password }, headers: ip() });
    expectError(limited, 429, "rate_limited");
    expect(limited.body.error.details.retry_after_seconds).toBeGreaterThan(0);
    // An unknown email fills its counter alike, so the 429 reveals no account.
    const nobody = `nobody-${uniq()}@example.com`;
    for (let i = 0; i < 20; i++) await api("POST", "/api/v1/login", { json: { email: nobody, password: "wrong password" }, headers: ip() });
    const unknown = await api("POST", "/api/v1/login", { json: { email: nobody, password: "wrong password" }, headers: ip() });
    expectError(unknown, 429, "rate_limited");
    const noSeconds = (m: string) => m.replace(/\d+ s$/, "");
    expect(noSeconds(unknown.body.error.message)).toBe(noSeconds(limited.body.error.message));
    // Other accounts are unaffected.
    expect((await api("POST", "/api/v1/login", { json: { email: bystander.email, password: bystander.password }, headers: ip() })).status).toBe(200);
  });

  test("parallel guesses at one account from many addresses get exactly the limit checked", async () => {
    const t = await makeTeam();
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api("POST", "/api/v1/login", { json: { email: t.email, password: `wrong password ${i}` }, headers: ip() }),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  test("a user's own successful log-ins never throttle the account", async () => {
    const t = await makeTeam();
    for (let i = 0; i < 22; i++) {
      const r = await api("POST", "/api/v1/login", { json: { email: t.email, password: t.password }, headers: ip() });
      expect(r.status, r.text).toBe(200);
    }
  });

  test("a cookie-authenticated write from another origin is refused", async () => {
    const t = await makeTeam();
    const res = await api("POST", "/api/v1/projects", {
      creds: { cookie: t.cookie },
      json: { name: `p-${uniq()}` },
      headers: { origin: "https://evil.example" },
    });
    expectError(res, 403, "permission_denied");
    const same = await api("POST", "/api/v1/projects", { creds: { cookie: t.cookie }, json: { name: `p-${uniq()}` } });
    expect(same.status).toBe(201);
  });

  test("switching team re-issues the session for a team the user belongs to, 404 otherwise", async () => {
    const t = await makeTeam();
    const created = await api("POST", "/api/v1/teams", { creds: { cookie: t.cookie }, json: { name: "Second" } });
    expect(created.status, created.text).toBe(201);
    const sw = await api("POST", "/api/v1/auth/switch-team", { creds: { cookie: t.cookie }, json: { team_id: created.body.team.id } });
    expect(sw.status, sw.text).toBe(200);
    const me = await api("GET", "/api/v1/me", { creds: { cookie: sessionCookie(sw.headers) } });
    expect(me.body.team.id).toBe(created.body.team.id);
    expect(me.body.teams).toHaveLength(2);
    const other = await makeTeam();
    const denied = await api("POST", "/api/v1/auth/switch-team", { creds: { cookie: t.cookie }, json: { team_id: other.id } });
    expectError(denied, 404, "not_found");
  });
});

describe("API keys and access tokens", () => {
  test("a key works as Bearer and as the Basic password (MLflow clients)", async () => {
    const t = await makeTeam();
    const bearer = await api("GET", "/api/v1/me", { creds: { key: t.key } });
    const basic = await api("GET", "/api/v1/me", { creds: { basic: t.key } });
    expect(bearer.status).toBe(200);
    expect(basic.status).toBe(200);
    expect(basic.body.via).toBe("api_key");
  });

  test("a key is exchanged for a 15-minute access token carrying team, user and scopes, with a kid", async () => {
    const t = await makeTeam();
    const { key } = await makeKey(t, ["read", "write"]);
    const res = await api("POST", "/api/v1/auth/token", { creds: { key } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.expires_in).toBeLessThanOrEqual(900);
    const [h, p] = res.body.access_token.split(".");
    const header = JSON.parse(Buffer.from(h, "base64url").toString());
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    expect(header).toMatchObject({ alg: "HS256" });
    expect(header.kid).toBeTypeOf("string");
    expect(payload).toMatchObject({ sub: t.userId, team: t.id, scopes: ["read", "write"], typ: "access" });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(900);
    const me = await api("GET", "/api/v1/me", { creds: { token: res.body.access_token } });
    expect(me.status).toBe(200);
    expect(me.body.via).toBe("access_token");
    const write = await api("POST", "/api/v1/projects", { creds: { token: res.body.access_token }, json: { name: `p-${uniq()}` } });
    expect(write.status).toBe(201);
  });

  test("a key cannot mint a key wider than itself, and a viewer cannot mint write keys", async () => {
    const t = await makeTeam();
    const { key } = await makeKey(t, ["read", "write"]);
    const res = await api("POST", "/api/v1/api-keys", { creds: { key }, json: { label: "wider", scopes: ["admin"] } });
    expectError(res, 403, "permission_denied");
  });

  test("an expired key is refused", async () => {
    const t = await makeTeam();
    const { key, id } = await makeKey(t, ["read"], { expires_in_days: 1 });
    expect((await api("GET", "/api/v1/me", { creds: { key } })).status).toBe(200);
    await sql("update api_keys set expires_at = now() - interval '1 second' where id = $1", [id]);
    await new Promise((r) => setTimeout(r, (TEST_KEY_CACHE_TTL_SECONDS + 0.5) * 1000));
    expectError(await api("GET", "/api/v1/me", { creds: { key } }), 401, "unauthenticated");
  });

  test("revoking through the API refuses the key at once; revoked elsewhere, within the cache TTL", async () => {
    const t = await makeTeam();
    const a = await makeKey(t, ["read"]);
    expect((await api("GET", "/api/v1/me", { creds: { key: a.key } })).status).toBe(200);
    expect((await api("DELETE", `/api/v1/api-keys/${a.id}`, { creds: t.creds })).status).toBe(204);
    expectError(await api("GET", "/api/v1/me", { creds: { key: a.key } }), 401, "unauthenticated");

    // Another isolate revoking: this one's cache keeps the key for at most the TTL.
    const b = await makeKey(t, ["read"]);
    expect((await api("GET", "/api/v1/me", { creds: { key: b.key } })).status).toBe(200);
    await sql("update api_keys set revoked_at = now() where id = $1", [b.id]);
    // Still served from the cache: proof that the key path skipped the database.
    expect((await api("GET", "/api/v1/me", { creds: { key: b.key } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, (TEST_KEY_CACHE_TTL_SECONDS + 0.5) * 1000));
    expectError(await api("GET", "/api/v1/me", { creds: { key: b.key } }), 401, "unauthenticated");
    const list = await api("GET", "/api/v1/api-keys", { creds: t.creds });
    expect(list.body.api_keys.find((k: any) => k.id === a.id).revoked_at).toBeTypeOf("string");
  });

  test("a key whose user left the team stops working", async () => {
    const owner = await makeTeam();
    const member = await makeTeam();
    await joinTeam(owner, member, "member");
    const login = await api("POST", "/api/v1/login", { json: { email: member.email, password: member.password }, headers: ip() });
    const teams = login.body.teams.map((x: any) => x.id);
    expect(teams).toContain(owner.id);
    const sw = await api("POST", "/api/v1/auth/switch-team", { creds: { cookie: sessionCookie(login.headers) }, json: { team_id: owner.id } });
    const memberCookie = sessionCookie(sw.headers);
    const k = await api("POST", "/api/v1/api-keys", { creds: { cookie: memberCookie }, json: { label: "m", scopes: ["read", "write"] } });
    expect(k.status, k.text).toBe(201);
    expect((await api("GET", "/api/v1/projects", { creds: { key: k.body.key } })).status).toBe(200);
    expect((await api("DELETE", `/api/v1/members/${member.userId}`, { creds: owner.creds })).status).toBe(204);
    await new Promise((r) => setTimeout(r, (TEST_KEY_CACHE_TTL_SECONDS + 0.5) * 1000));
    expectError(await api("GET", "/api/v1/projects", { creds: { key: k.body.key } }), 401, "unauthenticated");
  });
});
