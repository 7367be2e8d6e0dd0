import { expect, test } from "vitest";
import { api, stack } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeProject, makeTeam } from "./helpers/harness";
import { putVersion, sha256 } from "./helpers/routes/artifacts";
import { runCron } from "./helpers/scheduled";

const tick = () => runCron();
const shas = async (teamId: string) =>
  (await sql<{ sha256: string }>("select sha256 from objects where team_id = $1 order by sha256", [teamId])).map((r) => r.sha256);

test("garbage collection frees objects no version uses and keeps shared ones; usage counts each object once", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const [only, shared] = [Buffer.from("only in x"), Buffer.from("shared by x and y")];
  await putVersion(team, project.id, "x", { "only.bin": only, "shared.bin": shared });
  const y = await putVersion(team, project.id, "y", { "shared-again.bin": shared, "again.bin": shared });
  expect(y.announce.uploads).toHaveLength(0);
  const usage = await api("GET", "/api/v1/storage/usage", { creds: team.creds });
  expect(usage.body).toEqual({ bytes: only.length + shared.length, objects: 2 });
  const first = await api("GET", `/api/v1/projects/${project.id}/artifacts/x/versions/v1`, { creds: team.creds });
  const urls = Object.fromEntries(first.body.files.map((f: any) => [f.sha256, f.url]));

  expect((await api("DELETE", `/api/v1/projects/${project.id}/artifacts/x/versions/v1`, { creds: team.creds })).status).toBe(204);
  // Fresh objects are inside the grace period (an upload may be in flight): untouched.
  await tick();
  expect(await shas(team.id)).toHaveLength(2);

  await sql("update objects set touched_at = now() - interval '2 hours' where team_id = $1", [team.id]);
  await tick();
  expect(await shas(team.id)).toEqual([sha256(shared)]);
  expect((await fetch(urls[sha256(only)])).status).toBe(404);
  expect(Buffer.from(await (await fetch(urls[sha256(shared)])).arrayBuffer()).equals(shared)).toBe(true);
  const after = await api("GET", "/api/v1/storage/usage", { creds: team.creds });
  expect(after.body).toEqual({ bytes: shared.length, objects: 1 });
  const yv = await api("GET", `/api/v1/projects/${project.id}/artifacts/y/versions/latest`, { creds: team.creds });
  expect(yv.body.files).toHaveLength(2);
});
