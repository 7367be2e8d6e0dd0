import { beforeAll, describe, expect, test } from "vitest";
import { api, type Creds } from "./helpers/api";
import { expectError, makeKey, makeTeam, type Team } from "./helpers/harness";
import { fillPath, makeFixture, routeTable, type Fixture } from "./helpers/route-table";
import { forgedTokens } from "./helpers/tokens";

// The owner's own credentials reaching every filled-in path (so that 404s
// below mean "not yours", not "not there"), and no route served outside the
// OpenAPI document: tests/security-coverage.test.ts.

let fx: Fixture;
let outsider: Team;
let readKey: string;
let writeKey: string;
let revokedKey: string;
let forged: Record<string, string>;

beforeAll(async () => {
  fx = await makeFixture();
  outsider = await makeTeam("Outsider");
  readKey = (await makeKey(fx.team, ["read"])).key;
  writeKey = (await makeKey(fx.team, ["read", "write"])).key;
  const revoked = await makeKey(fx.team, ["read", "write", "admin"]);
  const r = await api("DELETE", `/api/v1/api-keys/${revoked.id}`, { creds: fx.team.creds });
  expect(r.status).toBe(204);
  revokedKey = revoked.key;
  const token = await api("POST", "/api/v1/auth/token", { creds: { key: readKey } });
  expect(token.status).toBe(200);
  forged = await forgedTokens(fx.team.id, fx.team.userId, token.body.access_token);
});

test("the route table lists exactly the routes in the OpenAPI document", async () => {
  const doc = await api("GET", "/api/openapi.json");
  expect(doc.status).toBe(200);
  const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  const tabled = routeTable.map((r) => `${r.method} ${r.path}`).sort();
  expect(tabled).toEqual(documented);
});

const guarded = routeTable.filter((r) => r.scope !== "public");

describe.each(guarded.map((r) => [`${r.method} ${r.path}`, r] as const))("%s", (_, rc) => {
  const send = (creds: Creds | undefined) =>
    api(rc.method, fillPath(rc, fx), { creds, json: rc.body?.(fx) ?? (rc.method === "GET" || rc.method === "DELETE" ? undefined : {}) });

  test("no credentials → 401", async () => {
    expectError(await send(undefined), 401, "unauthenticated");
  });

  test("forged, expired, wrongly signed or alg:none JWTs → 401", async () => {
    for (const [name, token] of Object.entries(forged)) {
      const res = await send({ token });
      expect(res.status, `${name}: ${res.text}`).toBe(401);
      expectError(res, 401, "unauthenticated");
    }
  });

  test("a revoked key → 401; a malformed key → 401", async () => {
    expectError(await send({ key: revokedKey }), 401, "unauthenticated");
    expectError(await send({ key: "sl_short_bad" }), 401, "unauthenticated");
    expectError(await send({ basic: revokedKey }), 401, "unauthenticated");
  });

  if (rc.owned) {
    test("another team's credentials → 404", async () => {
      expectError(await send({ key: outsider.key }), 404, "not_found");
      expectError(await send({ cookie: outsider.cookie }), 404, "not_found");
    });
  }

  if ((rc.scope === "write" || rc.scope === "admin") && !rc.sessionOnly) {
    test("a read-scoped key → 403", async () => {
      expectError(await send({ key: readKey }), 403, "permission_denied");
    });
  }

  // Write is not admin: a key with every scope but admin is still refused.
  if (rc.scope === "admin" && !rc.sessionOnly) {
    test("a write-scoped key → 403", async () => {
      expectError(await send({ key: writeKey }), 403, "permission_denied");
    });
  }
});
