import { expect, test } from "vitest";
import { fromPostgresError } from "../worker/lib/pg-errors";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeProject, makeRun, makeTeam } from "./helpers/harness";
import { sha256 } from "./helpers/routes/artifacts";

// Free-form JSON (artifact metadata, run config and system info) is capped in
// depth and size before anything is written: a deep document once made
// Postgres answer 54001 (a 500), or store the row and then fail to answer it.
const deep = (depth: number, leaf = "1") => `${'{"a":'.repeat(depth)}${leaf}${"}".repeat(depth)}`;
const deepArray = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const file = { path: "a.txt", size: 1, sha256: sha256("x") };

async function post(path: string, body: string, creds: { key?: string; cookie?: string }) {
  const started = Date.now();
  const res = await api("POST", path, { creds, body, headers: { "content-type": "application/json" } });
  return { res, ms: Date.now() - started };
}

const versionCount = async (teamId: string) =>
  Number((await sql<{ n: string }>("select count(*) as n from artifact_versions where team_id = $1", [teamId]))[0]!.n);

test("a 20,000-deep artifact metadata is a fast 400 and leaves the database healthy", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const versions = `/api/v1/projects/${project.id}/artifacts/deep/versions`;
  for (const depth of [20_000, 8_000]) {
    const { res, ms } = await post(versions, `{"type":"dataset","files":[${JSON.stringify(file)}],"metadata":${deep(depth)}}`, team.creds);
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(/metadata.*deeper than 10 levels/);
    expect(ms).toBeLessThan(3_000);
  }
  // Then a value Postgres itself refuses, which once left the backend spinning.
  const nul = await api("POST", "/api/v1/auth/switch-team", { creds: { cookie: team.cookie }, json: { team_id: "a\u0000b" } });
  expect(nul.status).toBeGreaterThanOrEqual(400);
  expect(nul.status).toBeLessThan(500);
  // Nothing was written, so a retry cannot duplicate anything.
  expect(await versionCount(team.id)).toBe(0);

  const started = Date.now();
  const ok = await api("GET", `/api/v1/projects/${project.id}`, { creds: team.creds });
  expect(ok.status, ok.text).toBe(200);
  expect(Date.now() - started).toBeLessThan(3_000);
  expect(await sql("select 1 as one")).toEqual([{ one: 1 }]);
  // No backend is still busy with an artifact write (the spinning backend of the
  // report). Other test files share this database, so only those statements count.
  const busy = await sql<{ query: string }>(
    `select query from pg_stat_activity
     where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
       and query ilike '%artifact_versions%' and now() - query_start > interval '1 second'`,
  );
  expect(busy).toEqual([]);
});

test("metadata at the depth limit is stored; one level more, or too many bytes, is refused naming the field", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const versions = `/api/v1/projects/${project.id}/artifacts/m/versions`;
  const body = (metadata: string) => `{"type":"dataset","files":[${JSON.stringify(file)}],"metadata":${metadata}}`;

  const ok = await post(versions, body(deep(10)), team.creds);
  expect(ok.res.status, ok.res.text).toBe(201);
  expect(JSON.stringify(ok.res.body.version.metadata)).toBe(deep(10));

  const cases: [string, RegExp][] = [
    [deep(11), /metadata\.a\.a.*deeper than 10 levels/],
    [`{"list":${deepArray(12)}}`, /metadata\.list.*deeper than 10 levels/],
    [JSON.stringify({ big: "x".repeat(70_000) }), /metadata.*at most 65536 bytes/],
    [JSON.stringify({ s: "a\u0000b" }), /metadata\.s/],
  ];
  for (const [metadata, message] of cases) {
    const { res } = await post(versions, body(metadata), team.creds);
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message, metadata.slice(0, 40)).toMatch(message);
  }
  expect(await versionCount(team.id)).toBe(1);
});

test("a 20,000-deep body is a fast 400 on every route that takes JSON, never a write", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const run = await makeRun(team, project.id);
  const cases: [string, string, RegExp][] = [
    [`/api/v1/projects/${project.id}/runs`, `{"config":${deep(20_000)}}`, /config/],
    [`/api/v1/projects/${project.id}/runs`, `{"system":${deep(20_000)}}`, /system/],
    [`/api/v1/runs/${run}/logs`, `{"seq":0,"lines":${deepArray(20_000)}}`, /lines/],
    [`/api/v1/runs/${run}/metrics`, `{"seq":0,"metrics":{"loss":${deep(20_000)}}}`, /metrics/],
    [`/api/v1/runs/${run}/files`, `{"files":${deepArray(20_000)}}`, /files/],
    ["/api/v1/projects", `{"name":"p","description":${deepArray(20_000)}}`, /description/],
    // workerd's JSON.parse does not recurse: a million levels (the most a 2 MiB
    // manifest body holds) parse without a stack overflow and fail the schema.
    [`/api/v1/projects/${project.id}/artifacts/x/versions`, deepArray(1_000_000), /json: .*expected object/],
  ];
  for (const [path, body, message] of cases) {
    const { res, ms } = await post(path, body, team.creds);
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message, `${path} ${body.slice(0, 30)}`).toMatch(message);
    expect(ms).toBeLessThan(3_000);
  }
  const runs = await sql("select id from runs where team_id = $1", [team.id]);
  expect(runs).toHaveLength(1);
});

test("Postgres's 'too complex' errors (class 54) are the caller's 4xx, not a 500", async () => {
  // A real 54001 from the server: the same error a deep document once raised.
  const err = await sql(`select (repeat('[', 20000) || repeat(']', 20000))::jsonb`).then(
    () => null,
    (e: unknown) => e,
  );
  expect((err as { code?: string }).code).toBe("54001");
  const mapped = fromPostgresError(err);
  expect(mapped?.status).toBe(400);
  expect(mapped?.message).toMatch(/too (deeply nested|complex)/);
  for (const code of ["54000", "54011", "54023"]) {
    const m = fromPostgresError({ code });
    expect(m?.status, code).toBeGreaterThanOrEqual(400);
    expect(m?.status, code).toBeLessThan(500);
  }
});
