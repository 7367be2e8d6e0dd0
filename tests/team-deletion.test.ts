import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { TEST_KEY_CACHE_TTL_SECONDS } from "./helpers/global-setup";
import { expectError, makeProject, makeRun, makeTeam, type Team } from "./helpers/harness";
import { cookieIn, joinTeam } from "./helpers/membership";
import { putVersion } from "./helpers/routes/artifacts";
import { runCron } from "./helpers/scheduled";
import { ingestOk } from "./metrics-helpers";

const pastTtl = () => new Promise((r) => setTimeout(r, (TEST_KEY_CACHE_TTL_SECONDS + 0.5) * 1000));

// Every table with a team_id column, and how many rows it holds for the team.
async function rowsOf(teamId: string): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>(
    "select table_name from information_schema.columns where column_name = 'team_id' and table_schema = 'public' order by table_name",
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [{ n } = { n: -1 }] = await sql<{ n: number }>(`select count(*)::int as n from "${table_name}" where team_id = $1`, [teamId]);
    if (n) out[table_name] = n;
  }
  const [{ n } = { n: -1 }] = await sql<{ n: number }>("select count(*)::int as n from teams where id = $1", [teamId]);
  if (n) out.teams = n;
  return out;
}

async function teamWithData(name: string) {
  const team = await makeTeam(name);
  const project = await makeProject(team);
  for (let i = 0; i < 3; i++) {
    const run = await makeRun(team, project.name);
    await ingestOk(team, run, 0, { loss: { steps: [0, 1, 2], values: [1, 0.5, 0.25] } });
  }
  const version = await putVersion(team, project.id, "model", { "weights.bin": Buffer.from(`weights of ${name} ${Math.random()}`) });
  const read = await api("GET", `/api/v1/projects/${project.id}/artifacts/model/versions/latest`, { creds: team.creds });
  expect(read.status, read.text).toBe(200);
  return { team, project, version, objectUrl: read.body.files[0].url as string };
}

const deleteTeam = (team: Team, confirm: string, creds = team.creds) => api("DELETE", "/api/v1/teams/current", { creds, json: { confirm } });

test("creating another team is audited in that team", async () => {
  const t = await makeTeam();
  const created = await api("POST", "/api/v1/teams", { creds: t.creds, json: { name: "Second" } });
  expect(created.status, created.text).toBe(201);
  const rows = await sql<{ action: string; actor_user_id: string }>("select action, actor_user_id from audit_log where team_id = $1", [created.body.team.id]);
  expect(rows).toEqual([{ action: "team.create", actor_user_id: t.userId }]);
});

test("only the owner deletes, with the exact name typed", async () => {
  const owner = await makeTeam("Keep Me");
  const admin = await makeTeam();
  await joinTeam(owner, admin, "admin");
  const name = (await api("GET", "/api/v1/me", { creds: owner.creds })).body.team.name as string;
  const asAdmin = await cookieIn(admin, owner.id);
  expectError(await deleteTeam(owner, name, asAdmin), 403, "permission_denied");
  const wrong = await deleteTeam(owner, name.toLowerCase());
  expectError(wrong, 400, "invalid_argument");
  expect(wrong.body.error.message).toMatch(/confirm/);
  expectError(await api("DELETE", "/api/v1/teams/current", { creds: owner.creds, json: {} }), 400, "invalid_argument");
  const [row] = await sql<{ deleting_at: Date | null }>("select deleting_at from teams where id = $1", [owner.id]);
  expect(row!.deleting_at).toBeNull();
});

test("deleting a team stops its credentials at once and the cron removes everything, objects included; another team is untouched", async () => {
  const doomed = await teamWithData("Doomed");
  const kept = await teamWithData("Kept");
  const member = await makeTeam();
  await joinTeam(doomed.team, member, "member");
  const memberSession = await cookieIn(member, doomed.team.id);
  const keptBefore = await rowsOf(kept.team.id);
  expect(keptBefore).toMatchObject({ runs: 3, objects: 1, metric_chunks: 3 });
  expect((await fetch(doomed.objectUrl)).status).toBe(200);

  const name = (await api("GET", "/api/v1/me", { creds: doomed.team.creds })).body.team.name as string;
  const res = await deleteTeam(doomed.team, name);
  expect(res.status, res.text).toBe(202);
  expect(res.body.team).toMatchObject({ id: doomed.team.id, name });
  const [audit] = await sql<{ action: string }>("select action from audit_log where team_id = $1 and action = 'team.delete'", [doomed.team.id]);
  expect(audit).toBeDefined();

  await pastTtl();
  for (const creds of [doomed.team.creds, { cookie: doomed.team.cookie }, memberSession]) {
    expectError(await api("GET", "/api/v1/projects", { creds }), 401, "unauthenticated");
  }
  // The member's own team still works, and no longer lists the doomed one.
  const me = await api("GET", "/api/v1/me", { creds: member.creds });
  expect(me.status, me.text).toBe(200);
  expect(me.body.teams.map((t: any) => t.id)).toEqual([member.id]);

  // Inside the grace period (presigned uploads may still land) nothing goes.
  await runCron();
  expect(await rowsOf(doomed.team.id)).toMatchObject({ teams: 1, runs: 3, objects: 1 });

  await sql("update teams set deleting_at = now() - interval '1 hour' where id = $1", [doomed.team.id]);
  for (let i = 0; i < 3 && Object.keys(await rowsOf(doomed.team.id)).length; i++) await runCron();
  expect(await rowsOf(doomed.team.id)).toEqual({});
  expect((await fetch(doomed.objectUrl)).status).toBe(404);
  const [user] = await sql("select id from users where id = $1", [doomed.team.userId]);
  expect(user).toBeDefined();

  expect(await rowsOf(kept.team.id)).toEqual(keptBefore);
  expect((await fetch(kept.objectUrl)).status).toBe(200);
  expect((await api("GET", `/api/v1/projects/${kept.project.id}/runs`, { creds: kept.team.creds })).status).toBe(200);
});
