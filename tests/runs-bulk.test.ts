import { beforeAll, describe, expect, test } from "vitest";
import { api, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeKey, makeProject, makeRun, makeTeam, type Team } from "./helpers/harness";
import { cookieIn, joinTeam } from "./helpers/membership";

// Runs management: the one bulk route (tag, untag, move, archive, unarchive,
// delete, restore), archived runs in lists, soft delete with restore.
let team: Team;
let outsider: Team;
let project: string;

beforeAll(async () => {
  team = await makeTeam("Bulk");
  outsider = await makeTeam("BulkOut");
  project = `bulk-${uniq()}`;
});

const bulk = (body: unknown, creds = team.creds, proj = project) => api("POST", `/api/v1/projects/${proj}/runs/bulk`, { creds, json: body });
const list = async (query = "", proj = project) => {
  const res = await api("GET", `/api/v1/projects/${proj}/runs?limit=200${query}`, { creds: team.creds });
  expect(res.status, res.text).toBe(200);
  return res.body.runs as { id: string; tags: string[]; project_id: string; archived_at: string | null; deleted_at: string | null }[];
};
const ids = (rs: { id: string }[]) => rs.map((r) => r.id).sort();
const runs = async (n: number, proj = project): Promise<[string, string, string, ...string[]]> => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await makeRun(team, proj));
  return out as [string, string, string, ...string[]];
};
const auditOf = (action: string) =>
  sql<{ details: any; actor_kind: string }>("select details, actor_kind from audit_log where team_id = $1 and action = $2 order by id", [team.id, action]);

describe("POST /projects/{project}/runs/bulk", () => {
  test("tag and untag many runs at once; tags stay unique; audited with the ids", async () => {
    const [a, b] = await runs(2);
    await api("PATCH", `/api/v1/runs/${a}`, { creds: team.creds, json: { tags: ["keep", "x"] } });
    const res = await bulk({ run_ids: [a, b, a], action: "tag", tags: ["x", "best"] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.updated).toBe(2);
    const byId = new Map((await list()).map((r) => [r.id, r.tags]));
    expect(byId.get(a)).toEqual(["best", "keep", "x"]);
    expect(byId.get(b)).toEqual(["best", "x"]);
    const un = await bulk({ run_ids: [a, b], action: "untag", tags: ["x"] });
    expect(un.status, un.text).toBe(200);
    const after = new Map((await list()).map((r) => [r.id, r.tags]));
    expect(after.get(a)).toEqual(["best", "keep"]);
    expect(after.get(b)).toEqual(["best"]);
    const events = await auditOf("run.bulk_tag");
    expect(events.at(-1)!.details).toMatchObject({ run_ids: [a, b], count: 2, tags: ["x", "best"] });
    expect((await auditOf("run.bulk_untag")).length).toBeGreaterThan(0);
  });

  test("another team's run id makes the whole call a 404 and changes nothing", async () => {
    const [mine] = await runs(1);
    const theirs = await makeRun(outsider);
    expectError(await bulk({ run_ids: [mine, theirs], action: "tag", tags: ["leak"] }), 404, "not_found");
    expectError(await bulk({ run_ids: [mine, "run_doesnotexist"], action: "delete" }), 404, "not_found");
    // The outsider cannot touch our runs either, even mixed with its own, in our project or its own.
    expectError(await bulk({ run_ids: [theirs, mine], action: "archive" }, outsider.creds), 404, "not_found");
    const theirProject = (await api("GET", `/api/v1/runs/${theirs}`, { creds: outsider.creds })).body.run.project_id;
    expectError(await bulk({ run_ids: [theirs, mine], action: "archive" }, outsider.creds, theirProject), 404, "not_found");
    // A run of the team in another of its projects is not in this one: 404 too.
    const elsewhere = await makeRun(team);
    expectError(await bulk({ run_ids: [mine, elsewhere], action: "tag", tags: ["leak"] }), 404, "not_found");
    const row = (await list()).find((r) => r.id === mine)!;
    expect(row.tags).toEqual([]);
    expect(row.archived_at).toBeNull();
    const [other] = await sql<{ tags: string[]; archived_at: unknown }>("select tags, archived_at from runs where id = $1", [theirs]);
    expect(other!.tags).toEqual([]);
    expect(other!.archived_at).toBeNull();
  });

  test("bad input is a 400 naming the field", async () => {
    const [r] = await runs(1);
    expectError(await bulk({ run_ids: [], action: "archive" }), 400, "invalid_argument");
    expect((await bulk({ run_ids: [], action: "archive" })).body.error.message).toMatch(/run_ids/);
    const tooMany = await bulk({ run_ids: Array.from({ length: 1001 }, (_, i) => `run_${i}`), action: "archive" });
    expectError(tooMany, 400, "invalid_argument");
    expect(tooMany.body.error.message).toMatch(/run_ids.*1000/);
    const noAction = await bulk({ run_ids: [r], action: "explode" });
    expectError(noAction, 400, "invalid_argument");
    expect(noAction.body.error.message).toMatch(/action/);
    const noTags = await bulk({ run_ids: [r], action: "tag" });
    expectError(noTags, 400, "invalid_argument");
    expect(noTags.body.error.message).toMatch(/tags/);
    const noProject = await bulk({ run_ids: [r], action: "move" });
    expectError(noProject, 400, "invalid_argument");
    expect(noProject.body.error.message).toMatch(/project/);
    expectError(await api("POST", `/api/v1/projects/${project}/runs/bulk`, { creds: team.creds, body: "{not json", headers: { "content-type": "application/json" } }), 400);
  });

  test("a read-only key and a viewer's session are refused", async () => {
    const [r] = await runs(1);
    const read = await makeKey(team, ["read"]);
    expectError(await bulk({ run_ids: [r], action: "archive" }, { key: read.key }), 403, "permission_denied");
    const viewer = await makeTeam("Viewer");
    await joinTeam(team, viewer, "viewer");
    expectError(await bulk({ run_ids: [r], action: "archive" }, await cookieIn(viewer, team.id)), 403, "permission_denied");
    expectError(await api("POST", `/api/v1/runs/${r}/restore`, { creds: await cookieIn(viewer, team.id) }), 403, "permission_denied");
  });

  test("move to another project of the team; another team's project is a 404", async () => {
    const [a, b] = await runs(2);
    const dest = await makeProject(team);
    const res = await bulk({ run_ids: [a, b], action: "move", project: dest.name });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ updated: 2, project_id: dest.id });
    expect(ids(await list("", dest.name))).toEqual([a, b].sort());
    expect(ids(await list()).filter((id) => id === a || id === b)).toEqual([]);
    const foreign = await makeProject(outsider);
    expectError(await bulk({ run_ids: [a], action: "move", project: foreign.id }, team.creds, dest.name), 404, "not_found");
    expect(ids(await list("", dest.name))).toEqual([a, b].sort());
    expect((await auditOf("run.bulk_move")).at(-1)!.details).toMatchObject({ project_id: dest.id, count: 2 });
  });

  test("more than 64 tags on a run is refused for the whole call", async () => {
    const [a, b] = await runs(2);
    await api("PATCH", `/api/v1/runs/${a}`, { creds: team.creds, json: { tags: Array.from({ length: 64 }, (_, i) => `t${i}`) } });
    const res = await bulk({ run_ids: [b, a], action: "tag", tags: ["one-more"] });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(/tags/);
    expect((await list()).find((r) => r.id === b)!.tags).toEqual([]);
  });
});

describe("archive", () => {
  test("archived runs leave the list by default; archived=include and only show them; unarchive brings them back", async () => {
    const proj = `arch-${uniq()}`;
    const [a, b, c] = await runs(3, proj);
    expect((await bulk({ run_ids: [a, b], action: "archive" }, team.creds, proj)).status).toBe(200);
    expect(ids(await list("", proj))).toEqual([c]);
    expect(ids(await list("&archived=include", proj))).toEqual([a, b, c].sort());
    const only = await list("&archived=only", proj);
    expect(ids(only)).toEqual([a, b].sort());
    expect(only.every((r) => typeof r.archived_at === "string")).toBe(true);
    expectError(await api("GET", `/api/v1/projects/${proj}/runs?archived=maybe`, { creds: team.creds }), 400, "invalid_argument");
    expect((await bulk({ run_ids: [a], action: "unarchive" }, team.creds, proj)).status).toBe(200);
    expect(ids(await list("", proj))).toEqual([a, c].sort());
    expect((await auditOf("run.bulk_archive")).at(-1)!.details.run_ids).toEqual([a, b]);
  });
});

describe("delete and restore", () => {
  test("a deleted run leaves lists but stays readable; restore (bulk or single) brings it back whole", async () => {
    const proj = `del-${uniq()}`;
    const [a, b] = await runs(2, proj);
    await api("POST", `/api/v1/runs/${a}/metrics`, { creds: team.creds, json: { seq: 1, metrics: { loss: { steps: [0], values: [1.5] } } } });
    expect((await bulk({ run_ids: [a, b], action: "delete" }, team.creds, proj)).status).toBe(200);
    expect(await list("", proj)).toEqual([]);
    expect(await list("&archived=include", proj)).toEqual([]);
    const got = await api("GET", `/api/v1/runs/${a}`, { creds: team.creds });
    expect(got.status).toBe(200);
    expect(got.body.run.deleted_at).toBeTypeOf("string");
    expect((await bulk({ run_ids: [b], action: "restore" }, team.creds, proj)).status).toBe(200);
    expect(ids(await list("", proj))).toEqual([b]);
    const res = await api("POST", `/api/v1/runs/${a}/restore`, { creds: team.creds });
    expect(res.status, res.text).toBe(200);
    expect(res.body.run.deleted_at).toBeNull();
    expect(ids(await list("", proj))).toEqual([a, b].sort());
    const pts = await api("GET", `/api/v1/runs/${a}/metrics`, { creds: team.creds });
    expect(pts.status).toBe(200);
    expect(JSON.stringify(pts.body)).toContain("loss");
    expect((await auditOf("run.restore")).length).toBeGreaterThan(0);
    expect((await auditOf("run.bulk_delete")).at(-1)!.details.run_ids).toEqual([a, b]);
  });

  test("restore of another team's run is a 404", async () => {
    const theirs = await makeRun(outsider);
    expectError(await api("POST", `/api/v1/runs/${theirs}/restore`, { creds: team.creds }), 404, "not_found");
  });
});
