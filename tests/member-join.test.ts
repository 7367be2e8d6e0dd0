import { describe, expect, test } from "vitest";
import { api, randomIp, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeTeam } from "./helpers/harness";

// Default AUTH_RATE_LIMIT: attempts allowed per window before a 429.
const AUTH_RATE_LIMIT = 20;

describe("adding members by email", () => {
  test("is refused alike for an existing account and an unknown email, saying how people join", async () => {
    const owner = await makeTeam();
    const existing = await makeTeam();
    const known = await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: existing.email, role: "member" } });
    const unknown = await api("POST", "/api/v1/members", {
      creds: owner.creds,
      json: { email: `nobody-${uniq()}@example.com`, role: "member" },
    });
    expectError(known, 403, "permission_denied");
    expectError(unknown, 403, "permission_denied");
    expect(known.body.error.message).toMatch(/invite/);
    // Nothing in the answer tells the two apart.
    expect(known.body.error.message).toBe(unknown.body.error.message);
    expect(Object.keys(known.body.error).sort()).toEqual(Object.keys(unknown.body.error).sort());

    const rows = await sql("select 1 from memberships where team_id = $1 and user_id = $2", [owner.id, existing.userId]);
    expect(rows).toHaveLength(0);
    const list = await api("GET", "/api/v1/members", { creds: owner.creds });
    expect(list.body.members.map((m: any) => m.user_id)).toEqual([owner.userId]);
  });

  test("is rate limited like log-in", async () => {
    const owner = await makeTeam();
    const statuses: number[] = [];
    for (let i = 0; i <= AUTH_RATE_LIMIT; i++) {
      const r = await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: `probe-${i}-${uniq()}@example.com` } });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, AUTH_RATE_LIMIT).every((s) => s === 403)).toBe(true);
    const limited = await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: `probe-${uniq()}@example.com` } });
    expectError(limited, 429, "rate_limited");
    expect(limited.body.error.details.retry_after_seconds).toBeGreaterThan(0);
  });

  test("a malformed email is still a 400 that names the field", async () => {
    const owner = await makeTeam();
    const res = await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: "not-an-email" } });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(/email/);
  });
});

describe("sign-up for an email that has an account", () => {
  test("is a 409, and sign-up is rate limited per address, so probing emails is slow", async () => {
    const t = await makeTeam();
    const addr = randomIp();
    const taken = await api("POST", "/api/v1/signup", {
      json: { email: t.email, password: "another password!", team_name: "X" },
      headers: { "cf-connecting-ip": addr },
    });
    expectError(taken, 409, "conflict");
    for (let i = 1; i < AUTH_RATE_LIMIT; i++) {
      const r = await api("POST", "/api/v1/signup", {
        json: { email: t.email, password: "another password!", team_name: "X" },
        headers: { "cf-connecting-ip": addr },
      });
      expect(r.status, r.text).toBe(409);
    }
    const limited = await api("POST", "/api/v1/signup", {
      json: { email: `new-${uniq()}@example.com`, password: "another password!", team_name: "X" },
      headers: { "cf-connecting-ip": addr },
    });
    expectError(limited, 429, "rate_limited");
  });
});
