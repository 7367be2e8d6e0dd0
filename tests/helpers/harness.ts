import { expect } from "vitest";
import { api, randomIp, sessionCookie, uniq, type Creds } from "./api";
import { sql } from "./db";

export type Team = {
  id: string;
  userId: string;
  email: string;
  password: string;
  key: string;
  keyId: string;
  cookie: string;
  creds: Creds;
};

// Each test makes its own team (and user), from its own client address so the
// sign-up rate limit never couples tests.
// New teams start on the free plan, with its rate limits. A test that logs
// faster than the free plan allows asks for a bigger plan: set here, before
// the team's first authenticated request fills the Worker's limits cache.
export async function makeTeam(name = "Team", opts: { plan?: "free" | "team" | "enterprise" } = {}): Promise<Team> {
  const email = `u-${uniq()}@example.com`;
  const password = "correct horse battery staple";
  const res = await api("POST", "/api/v1/signup", {
    json: { email, password, team_name: `${name} ${uniq()}` },
    headers: { "cf-connecting-ip": randomIp() },
  });
  expect(res.status, res.text).toBe(201);
  if (opts.plan) await sql("update teams set plan = $2 where id = $1", [res.body.team.id, opts.plan]);
  return {
    id: res.body.team.id,
    userId: res.body.user.id,
    email,
    password,
    key: res.body.api_key.key,
    keyId: res.body.api_key.id,
    cookie: sessionCookie(res.headers),
    creds: { key: res.body.api_key.key },
  };
}

export async function makeKey(team: Team, scopes: string[], extra: Record<string, unknown> = {}) {
  const res = await api("POST", "/api/v1/api-keys", { creds: team.creds, json: { label: `k-${uniq()}`, scopes, ...extra } });
  expect(res.status, res.text).toBe(201);
  return { key: res.body.key as string, id: res.body.api_key.id as string };
}

export async function makeProject(team: Team, name = `p-${uniq()}`) {
  const res = await api("POST", "/api/v1/projects", { creds: team.creds, json: { name } });
  expect(res.status, res.text).toBe(201);
  return res.body.project as { id: string; name: string };
}

// MLflow's routes answer {error_code, message}; the native code each maps from
// (worker/routes/mlflow/lib/errors.ts), so one table of expectations serves both.
const fromMlflow: Record<string, string> = {
  RESOURCE_DOES_NOT_EXIST: "not_found",
  ENDPOINT_NOT_FOUND: "not_found",
  UNAUTHENTICATED: "unauthenticated",
  PERMISSION_DENIED: "permission_denied",
  INVALID_PARAMETER_VALUE: "invalid_argument",
  RESOURCE_ALREADY_EXISTS: "conflict",
  REQUEST_LIMIT_EXCEEDED: "rate_limited",
};

export function expectError(res: { status: number; body: any; text: string }, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  if (typeof res.body?.error_code === "string") {
    expect(res.body.message, res.text).toBeTypeOf("string");
    if (code) expect(fromMlflow[res.body.error_code] ?? res.body.error_code, res.text).toBe(code);
    return;
  }
  expect(res.body?.error?.request_id, res.text).toBeTypeOf("string");
  expect(res.body?.error?.message, res.text).toBeTypeOf("string");
  if (code) expect(res.body.error.code, res.text).toBe(code);
}

// A run through the API, in the named project (created if it does not exist).
export async function makeRun(team: Team, project = `p-${uniq()}`): Promise<string> {
  const res = await api("POST", `/api/v1/projects/${encodeURIComponent(project)}/runs`, { creds: team.creds, json: {} });
  expect(res.status, res.text).toBe(201);
  return res.body.run.id as string;
}
