import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeProject, makeTeam, type Team } from "./helpers/harness";
import { preview } from "./helpers/retention";
import { runCron } from "./helpers/scheduled";

// Property: on random data (ages, pins, running runs, projects with and
// without their own retention, teams on several plans and overrides), a
// retention pass never deletes a pinned run, a running run or one inside its
// window, and enough passes delete every other run. Seeded, so a failure
// names the seed that reproduces it (RETENTION_SEED=...).

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Model = { id: string; team: string; days: number; ageDays: number; pinned: boolean; running: boolean };
const planDays: Record<string, number> = { free: 90, team: 365, enterprise: 3650 };
// Ages this close to a window's edge are nudged away: the test's clock and the
// database's differ by the seconds between the insert and the pass.
const EDGE = 0.05;

async function world(rand: () => number) {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const model: Model[] = [];
  const teams: Team[] = [];
  for (let ti = 0; ti < 3; ti++) {
    const team = await makeTeam("Prop");
    teams.push(team);
    const plan = pick(["free", "free", "team", "enterprise"]);
    const override = rand() < 0.3 ? 1 + Math.floor(rand() * 200) : null;
    await sql("update teams set plan = $2, plan_overrides = $3 where id = $1", [team.id, plan, override === null ? {} : { retentionDays: override }]);
    const teamDays = override ?? planDays[plan]!;
    for (let pi = 0; pi < 1 + Math.floor(rand() * 3); pi++) {
      const project = await makeProject(team);
      let days = teamDays;
      if (rand() < 0.5) {
        const own = 1 + Math.floor(rand() * Math.min(teamDays, 400));
        const res = await api("PATCH", `/api/v1/projects/${project.id}`, { creds: team.creds, json: { retention_days: own } });
        expect(res.status, res.text).toBe(200);
        days = Math.min(teamDays, own);
      }
      const rows: Model[] = [];
      for (let ri = 0; ri < 5 + Math.floor(rand() * 40); ri++) {
        let ageDays = rand() * Math.min(2 * days + 30, 4000);
        if (Math.abs(ageDays - days) < EDGE) ageDays = days + (ageDays < days ? -EDGE : EDGE);
        rows.push({ id: `run_prop${ti}${pi}${ri}${Math.floor(rand() * 1e9).toString(36)}`, team: team.id, days, ageDays, pinned: rand() < 0.2, running: rand() < 0.1 });
      }
      await sql(
        `insert into runs (team_id, id, project_id, name, status, pinned, created_at)
         select $1, r.id, $2, r.id, case when r.running then 'running' else 'finished' end, r.pinned, now() - make_interval(secs => r.age * 86400)
         from jsonb_to_recordset($3::jsonb) as r(id text, age float8, pinned boolean, running boolean)`,
        [team.id, project.id, JSON.stringify(rows.map((r) => ({ id: r.id, age: r.ageDays, pinned: r.pinned, running: r.running })))],
      );
      model.push(...rows);
    }
  }
  return { model, teams };
}

const protectedRun = (m: Model) => m.pinned || m.running || m.ageDays < m.days;

async function surviving(model: Model[]): Promise<Set<string>> {
  const rows = await sql<{ id: string }>("select id from runs where id = any($1)", [model.map((m) => m.id)]);
  return new Set(rows.map((r) => r.id));
}

const seeds = process.env.RETENTION_SEED ? [Number(process.env.RETENTION_SEED)] : [1, 2, 3].map(() => Math.floor(Math.random() * 2 ** 31));

for (const seed of seeds) {
  test(`retention keeps what it must and deletes the rest (seed ${seed})`, async () => {
    const { model, teams } = await world(mulberry32(seed));
    const due = new Set(model.filter((m) => !protectedRun(m)).map((m) => m.id));
    // The preview (per team) names exactly the runs due, less those a
    // concurrent tick (other files run the cron too) deleted before it read.
    const previewed = new Set<string>();
    for (const t of teams) for (const r of (await preview(t)).runs) previewed.add(r.id);
    expect([...previewed].filter((id) => !due.has(id)), `seed ${seed}: previewed but not due`).toEqual([]);
    const afterPreview = await surviving(model);
    expect([...due].filter((id) => !previewed.has(id) && afterPreview.has(id)), `seed ${seed}: due but not previewed`).toEqual([]);

    let left = await surviving(model);
    for (let tick = 0; tick < 12 && [...due].some((id) => left.has(id)); tick++) {
      await runCron();
      left = await surviving(model);
      const lost = model.filter((m) => protectedRun(m) && !left.has(m.id));
      expect(lost, `seed ${seed}: protected runs deleted`).toEqual([]);
    }
    expect([...due].filter((id) => left.has(id)), `seed ${seed}: due runs left after 12 ticks`).toEqual([]);
    expect(left.size, `seed ${seed}`).toBe(model.length - due.size);
  });
}
