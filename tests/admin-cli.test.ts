import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { plans } from "../worker/lib/plans.ts";
import { api, stack } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeTeam } from "./helpers/harness";

// `npm run admin` end to end: the real CLI as a child process against the test
// stack's database (DATABASE_URL), then the Worker's answers and the audit log.

const cli = fileURLToPath(new URL("../local/admin-cli.ts", import.meta.url));

function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--experimental-strip-types", "--no-warnings", cli, ...args],
      { env: { ...process.env, DATABASE_URL: stack().databaseUrl, SIGHTLINE_OPERATOR: "ops-alice" }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(...args: string[]) {
  const r = await admin(...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const auditOf = (teamId: string) =>
  sql<{ action: string; actor_kind: string; actor_user_id: string; details: any }>(
    "select action, actor_kind, actor_user_id, details from audit_log where team_id = $1 and action like 'plan.%' order by id",
    [teamId],
  );

describe("npm run admin", () => {
  it("lists and shows teams, sets a plan and overrides, each with an operator audit row", async () => {
    const team = await makeTeam("Admin");
    const listed = (await ok("teams", "--json")) as { id: string; plan: string; members: number; deleting: boolean }[];
    expect(listed.find((t) => t.id === team.id)).toMatchObject({ plan: "free", members: 1, deleting: false });

    const shown = await ok("show", team.id);
    expect(shown).toMatchObject({ id: team.id, plan: "free", overrides: {}, limits: plans.free, usage: { seats: 1, metricPointsThisMonth: 0, runsThisMonth: expect.any(Number) } });

    const set = await ok("plan", team.id, "team");
    expect(set).toMatchObject({ from: "free", to: "team" });
    const over = await ok("override", team.id, "seats=7", "apiRequestsPerSecond=2.5", "runsPerMonth=1_000");
    expect(over.to).toEqual({ seats: 7, apiRequestsPerSecond: 2.5, runsPerMonth: 1000 });
    const cleared = await ok("override", team.id, "runsPerMonth=unset");
    expect(cleared.to).toEqual({ seats: 7, apiRequestsPerSecond: 2.5 });

    const after = await ok("show", team.id);
    expect(after.plan).toBe("team");
    expect(after.limits).toEqual({ ...plans.team, seats: 7, apiRequestsPerSecond: 2.5 });

    const rows = await auditOf(team.id);
    expect(rows.map((r) => r.action)).toEqual(["plan.set", "plan.override", "plan.override"]);
    expect(rows.every((r) => r.actor_kind === "operator" && r.actor_user_id === "ops-alice")).toBe(true);
    expect(rows[0]!.details).toEqual({ from: "free", to: "team" });
    expect(rows[2]!.details).toMatchObject({ from: { seats: 7, apiRequestsPerSecond: 2.5, runsPerMonth: 1000 }, to: { seats: 7, apiRequestsPerSecond: 2.5 } });
  });

  it("reaches the Worker: an override set before the team's first request is the limit it enforces", async () => {
    const team = await makeTeam("Admin");
    await ok("override", team.id, "apiRequestsPerSecond=1");
    const res = await Promise.all([1, 2].map(() => api("GET", "/api/v1/projects", { creds: team.creds })));
    const refused = res.find((r) => r.status === 429);
    expect(refused, res.map((r) => r.text).join("\n")).toBeDefined();
    expect(refused!.body.error).toMatchObject({ code: "rate_limited", limit_name: "apiRequestsPerSecond", limit: 1 });
  });

  it("finds a team by its name, and refuses a name two teams share", async () => {
    const name = `Twin ${Date.now()}`;
    const [a, b] = [await makeTeam(), await makeTeam()];
    await sql("update teams set name = $2 where id = any($1)", [[a.id, b.id], name]);
    const r = await admin("show", name);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 teams are named/);
    expect(r.stderr).toContain(a.id);
    await sql("update teams set name = $2 where id = $1", [b.id, `${name} 2`]);
    expect((await ok("show", name)).id).toBe(a.id);
  });

  it.each([
    [["plan"], /wrong number of arguments/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["plan", "team_nope", "team"], /no team with id or name "team_nope"/],
    [["plan", "team_nope", "platinum"], /"platinum" is not a plan \(plans: free, team, enterprise\)/],
    [["override", "team_nope"], /wrong number of arguments/],
    [["override", "team_nope", "bogus=1"], /unknown limit "bogus"/],
    [["override", "team_nope", "seats"], /"seats" is not <limit>=<number>\|unset/],
    [["override", "team_nope", "seats=-3"], /seats must be a non-negative number/],
    [["override", "team_nope", "seats=1e3"], /seats must be a non-negative number/],
    [["override", "team_nope", "seats=2.5"], /seats must be a whole number/],
    [["override", "team_nope", "seats="], /seats must be a non-negative number/],
  ])("refuses %j with a clear message and exit 1", async (args, message) => {
    const r = await admin(...args);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it("writes nothing when one of several overrides is bad", async () => {
    const team = await makeTeam("Admin");
    const r = await admin("override", team.id, "seats=9", "storageBytes=lots");
    expect(r.code).toBe(1);
    expect((await sql<{ o: unknown }>("select plan_overrides as o from teams where id = $1", [team.id]))[0]!.o).toEqual({});
    expect(await auditOf(team.id)).toEqual([]);
  });
});
