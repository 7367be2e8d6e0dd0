import { beforeAll, describe, expect, test } from "vitest";
import { api, randomIp } from "./helpers/api";
import { expectError, makeProject, makeTeam, type Team } from "./helpers/harness";

// Hostile and careless input to the platform routes: always a 4xx in the
// envelope that names the problem, never a 500.
let t: Team;
let projectId: string;
beforeAll(async () => {
  t = await makeTeam();
  projectId = (await makeProject(t)).id;
});

const long = (n: number) => "x".repeat(n);
const signup = (body: unknown, extra: Record<string, string> = {}) =>
  api("POST", "/api/v1/signup", { json: body, headers: { "cf-connecting-ip": randomIp(), ...extra } });

describe("sign-up", () => {
  const good = { email: "v@example.com", password: "long enough password", team_name: "T" };
  test.each([
    ["missing email", { password: good.password, team_name: "T" }, /email/],
    ["missing password", { email: good.email, team_name: "T" }, /password/],
    ["missing team", { email: good.email, password: good.password }, /team_name/],
    ["email not an email", { ...good, email: "nope" }, /email/],
    ["email a number", { ...good, email: 42 }, /email/],
    ["password too short", { ...good, password: "short" }, /password/],
    ["password huge", { ...good, password: long(10_000) }, /password/],
    ["team name huge", { ...good, team_name: long(5_000) }, /team_name/],
    ["team name blank", { ...good, team_name: "   " }, /team_name/],
    ["team name with NUL", { ...good, team_name: "a\u0000b" }, /team_name/],
    ["team name with a lone surrogate", { ...good, team_name: "a\ud800b" }, /team_name/],
    ["team name with control chars", { ...good, team_name: "a\u0007b" }, /team_name/],
    ["body an array", [good], /./],
    ["body null", null, /./],
  ])("%s → 400 naming it", async (_, body, field) => {
    const res = await signup(body);
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(field);
  });

  test("invalid JSON → 400", async () => {
    const res = await api("POST", "/api/v1/signup", {
      body: '{"email": "a@b.co", ',
      headers: { "content-type": "application/json", "cf-connecting-ip": randomIp() },
    });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(/JSON/);
  });

  test("wrong content type → 415", async () => {
    const res = await api("POST", "/api/v1/signup", {
      body: "email=a@b.co",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": randomIp() },
    });
    expectError(res, 415, "unsupported_media_type");
  });

  test("a body over the size limit → 413", async () => {
    const res = await signup({ email: "a@b.co", password: "x".repeat(20), team_name: long(300_000) });
    expectError(res, 413, "payload_too_large");
  });

  test("unicode names are normalised (NFC) and kept", async () => {
    const res = await signup({ email: `n-${Date.now()}@example.com`, password: good.password, team_name: "Cafe\u0301 🤖 Лаб" });
    expect(res.status, res.text).toBe(201);
    expect(res.body.team.name).toBe("Caf\u00e9 🤖 Лаб");
  });
});

describe("log-in", () => {
  test.each([
    ["missing password", { email: "a@b.co" }],
    ["password a number", { email: "a@b.co", password: 5 }],
    ["email an object", { email: { $ne: "" }, password: "x" }],
  ])("%s → 400", async (_, body) => {
    const res = await api("POST", "/api/v1/login", { json: body, headers: { "cf-connecting-ip": randomIp() } });
    expectError(res, 400, "invalid_argument");
  });
});

describe("API keys", () => {
  test.each([
    ["no scopes", { label: "x", scopes: [] }, /scopes/],
    ["unknown scope", { label: "x", scopes: ["root"] }, /scopes/],
    ["label missing", { scopes: ["read"] }, /label/],
    ["label huge", { label: long(1000), scopes: ["read"] }, /label/],
    ["expiry not a date", { label: "x", scopes: ["read"], expires_at: "tomorrow" }, /expires_at/],
    ["expiry in the past", { label: "x", scopes: ["read"], expires_at: "2001-01-01T00:00:00Z" }, /expires_at/],
    ["expiry days negative", { label: "x", scopes: ["read"], expires_in_days: -1 }, /expires_in_days/],
    ["both expiries", { label: "x", scopes: ["read"], expires_at: "2099-01-01T00:00:00Z", expires_in_days: 1 }, /not both/],
  ])("%s → 400 naming it", async (_, body, field) => {
    const res = await api("POST", "/api/v1/api-keys", { creds: t.creds, json: body });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(field);
  });

  test("revoking an id that does not exist → 404", async () => {
    expectError(await api("DELETE", "/api/v1/api-keys/doesnotexist", { creds: t.creds }), 404, "not_found");
  });
});

describe("projects", () => {
  test.each([
    ["name missing", {}, /name/],
    ["name with a slash", { name: "a/b" }, /name/],
    ["name with spaces", { name: "a b" }, /name/],
    ["name huge", { name: long(500) }, /name/],
    ["name looks like an id", { name: "prj_abcdefghij0123456789" }, /id/],
    ["name a number", { name: 7 }, /name/],
    ["description huge", { name: "ok", description: long(5000) }, /description/],
  ])("create: %s → 400 naming it", async (_, body, field) => {
    const res = await api("POST", "/api/v1/projects", { creds: t.creds, json: body });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(field);
  });

  test("update with nothing to change → 400", async () => {
    expectError(await api("PATCH", `/api/v1/projects/${projectId}`, { creds: t.creds, json: {} }), 400, "invalid_argument");
  });

  test("a huge or odd path parameter → 4xx, not 500", async () => {
    expectError(await api("GET", `/api/v1/projects/${long(500)}`, { creds: t.creds }), 400, "invalid_argument");
    expectError(await api("GET", `/api/v1/projects/${encodeURIComponent("a\u0000b")}`, { creds: t.creds }), 400, "invalid_argument");
    expectError(await api("GET", `/api/v1/projects/%E0%A4%A`, { creds: t.creds }), 400, "invalid_argument");
  });

  test("an unknown route is a 404 in the envelope", async () => {
    expectError(await api("GET", "/api/v1/nothing-here", { creds: t.creds }), 404, "not_found");
  });

  test("a malformed Authorization header is a 401, not a 500", async () => {
    for (const authorization of ["Bearer", "Basic !!!notbase64", "Digest abc", "Bearer eyJ.eyJ.sig", `Bearer ${long(10_000)}`]) {
      const res = await api("GET", "/api/v1/projects", { headers: { authorization } });
      expectError(res, 401, "unauthenticated");
    }
  });
});

test("a chunked body over the limit → 413 (counted while streaming)", async () => {
  const chunk = new TextEncoder().encode(`{"email":"a@b.co","password":"${"x".repeat(64 * 1024)}`);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (sent++ < 8) ctrl.enqueue(chunk);
      else ctrl.close();
    },
  });
  const res = await fetch(`${(await import("./helpers/api")).stack().url}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": randomIp() },
    body,
    duplex: "half",
  } as RequestInit);
  expectError({ status: res.status, body: await res.json(), text: "" }, 413, "payload_too_large");
});
