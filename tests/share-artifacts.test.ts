import { beforeAll, expect, test } from "vitest";
import { api } from "./helpers/api";
import { expectError, makeProject, makeTeam, type Team } from "./helpers/harness";
import { putVersion } from "./helpers/routes/artifacts";
import { sqlReport } from "./helpers/routes/share-links";

// An artifact block lets its share link resolve that one version and download
// what the block shows (one file, or every file when it names no path), and
// nothing else of the team's artifacts.

let team: Team;
let project: string;
let producer: string; // the run that made model v1; not in the report
let token: string;

const art = (p: string, name: string, ref: string) => `/api/v1/projects/${p}/artifacts/${name}/versions/${ref}`;
const asLink = (path: string) => api("GET", path, { creds: { token } });

beforeAll(async () => {
  team = await makeTeam("Arts");
  const p = await makeProject(team);
  project = p.id;
  producer = (await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: {} })).body.run.id;
  await putVersion(team, project, "model", { "weights.bin": Buffer.from("weights v1"), "preview.png": Buffer.from("png v1") }, { run_id: producer });
  await putVersion(team, project, "model", { "weights.bin": Buffer.from("weights v2"), "preview.png": Buffer.from("png v2") });
  await putVersion(team, project, "data", { "train.csv": Buffer.from("a,b\n1,2\n"), "test.csv": Buffer.from("a,b\n3,4\n") });
  const alias = await api("PUT", `/api/v1/projects/${project}/artifacts/data/aliases/golden`, { creds: team.creds, json: { version: "v1" } });
  expect(alias.status, alias.text).toBe(200);
  const report = await sqlReport(team.id, team.userId, project, [
    { type: "artifact", id: "a", artifact: "model:v1", path: "preview.png" },
    { type: "artifact", id: "b", project_id: p.name, artifact: "data:golden" },
  ]);
  const res = await api("POST", `/api/v1/reports/${report}/share-links`, { creds: team.creds, json: {} });
  expect(res.status, res.text).toBe(201);
  token = res.body.token;
}, 120_000);

test("a block naming one file: that version, that file only, downloadable, no lineage outside the report", async () => {
  const res = await asLink(art(project, "model", "v1"));
  expect(res.status, res.text).toBe(200);
  expect(res.body.version.version).toBe(1);
  expect(res.body.files.map((f: any) => f.path)).toEqual(["preview.png"]);
  const file = await fetch(res.body.files[0].url);
  expect(await file.text()).toBe("png v1");
  expect(res.body.produced_by).toBeNull();
  // The owner sees the whole version and its producer.
  const owner = await api("GET", art(project, "model", "v1"), { creds: team.creds });
  expect(owner.body.files.map((f: any) => f.path).sort()).toEqual(["preview.png", "weights.bin"]);
  expect(owner.body.produced_by.id).toBe(producer);
  // The same version by its id is the same version.
  expect((await asLink(art(project, "model", res.body.version.id))).status).toBe(200);
});

test("a block naming no path lists every file of its version (by alias, by number, by project name)", async () => {
  for (const ref of ["golden", "v1", "latest"]) {
    const res = await asLink(art(project, "data", ref));
    expect(res.status, `${ref}: ${res.text}`).toBe(200);
    expect(res.body.files.map((f: any) => f.path)).toEqual(["test.csv", "train.csv"]);
  }
});

test("every other artifact, version, project or team is a 404; other artifact routes too", async () => {
  const other = await makeTeam("ArtsFar");
  const far = (await makeProject(other)).id;
  await putVersion(other, far, "model", { "weights.bin": Buffer.from("far") });
  const otherProject = (await makeProject(team)).id;
  await putVersion(team, otherProject, "model", { "preview.png": Buffer.from("elsewhere") });
  for (const path of [
    art(project, "model", "v2"),
    art(project, "model", "latest"),
    art(project, "nope", "v1"),
    art(otherProject, "model", "v1"),
    art(far, "model", "v1"),
    `/api/v1/projects/${project}/artifacts`,
    `/api/v1/projects/${project}/artifacts/model`,
    `/api/v1/runs/${producer}/artifacts`,
    `/api/v1/runs/${producer}/files`,
    `/api/v1/storage/usage`,
  ]) {
    expectError(await asLink(path), 404, "not_found");
  }
});

test("bad input through a link → 400 in the envelope", async () => {
  expectError(await asLink(art(project, "model", "v".repeat(65))), 400, "invalid_argument");
  expectError(await asLink(art(project, "Bad Name!", "v1")), 400, "invalid_argument");
});

test("a frozen link keeps the version its block's alias named when shared; a live link follows the alias", async () => {
  await putVersion(team, project, "moving", { "m.txt": Buffer.from("first") });
  const alias = (v: string) => api("PUT", `/api/v1/projects/${project}/artifacts/moving/aliases/prod`, { creds: team.creds, json: { version: v } });
  expect((await alias("v1")).status).toBe(200);
  const report = await sqlReport(team.id, team.userId, project, [{ type: "artifact", id: "m", artifact: "moving:prod" }]);
  const mk = async (frozen: boolean) => {
    const res = await api("POST", `/api/v1/reports/${report}/share-links`, { creds: team.creds, json: { frozen } });
    expect(res.status, res.text).toBe(201);
    return res.body.token as string;
  };
  const [live, frozen] = [await mk(false), await mk(true)];
  await putVersion(team, project, "moving", { "m.txt": Buffer.from("second") });
  expect((await alias("v2")).status).toBe(200);
  const as = (token: string, ref: string) => api("GET", art(project, "moving", ref), { creds: { token } });
  const f = await as(frozen, "prod");
  expect(f.status, f.text).toBe(200);
  expect(f.body.version.version).toBe(1);
  expect(await (await fetch(f.body.files[0].url)).text()).toBe("first");
  expect((await as(frozen, "v1")).status).toBe(200);
  expectError(await as(frozen, "v2"), 404, "not_found");
  const l = await as(live, "prod");
  expect(l.status, l.text).toBe(200);
  expect(l.body.version.version).toBe(2);
  expectError(await as(live, "v1"), 404, "not_found");
});
