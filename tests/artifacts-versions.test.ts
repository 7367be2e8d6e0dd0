import { expect, test } from "vitest";
import { createHash } from "node:crypto";
import { api } from "./helpers/api";
import { expectError, makeProject, makeTeam } from "./helpers/harness";
import { makeRun, putVersion, sha256 } from "./helpers/routes/artifacts";

const base = (p: string, n: string) => `/api/v1/projects/${p}/artifacts/${n}`;

test("versions are numbered, latest moves by itself, aliases resolve and move", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const v1 = await putVersion(team, project.name, "mnist", { "train.csv": Buffer.from("1,2,3\n"), "meta/readme.md": Buffer.from("# hi") }, { aliases: ["best"] });
  expect(v1.version).toMatchObject({ version: 1, state: "committed", file_count: 2, aliases: ["best", "latest"] });
  const v2 = await putVersion(team, project.name, "mnist", { "train.csv": Buffer.from("4,5,6\n") });
  expect(v2.version.version).toBe(2);

  const latest = await api("GET", `${base(project.name, "mnist")}/versions/latest`, { creds: team.creds });
  expect(latest.status, latest.text).toBe(200);
  expect(latest.body.version.id).toBe(v2.version.id);
  const got = await fetch(latest.body.files[0].url);
  expect(await got.text()).toBe("4,5,6\n");

  const best = await api("GET", `${base(project.name, "mnist")}/versions/best`, { creds: team.creds });
  expect(best.body.version.version).toBe(1);
  expect(best.body.files.map((f: any) => f.path)).toEqual(["meta/readme.md", "train.csv"]);

  const moved = await api("PUT", `${base(project.name, "mnist")}/aliases/best`, { creds: team.creds, json: { version: "v2" } });
  expect(moved.status, moved.text).toBe(200);
  expect(moved.body.version.aliases).toEqual(["best", "latest"]);
  expectError(await api("PUT", `${base(project.name, "mnist")}/aliases/latest`, { creds: team.creds, json: { version: "v1" } }), 400);
  expectError(await api("PUT", `${base(project.name, "mnist")}/aliases/v9`, { creds: team.creds, json: { version: "v1" } }), 400);
  expect((await api("DELETE", `${base(project.name, "mnist")}/aliases/best`, { creds: team.creds })).status).toBe(204);
  expectError(await api("GET", `${base(project.name, "mnist")}/versions/best`, { creds: team.creds }), 404);
  expectError(await api("GET", `${base(project.name, "mnist")}/versions/v3`, { creds: team.creds }), 404);

  const listed = await api("GET", base(project.name, "mnist"), { creds: team.creds });
  expect(listed.body.versions.map((v: any) => v.version)).toEqual([2, 1]);
  expect(listed.body.artifact).toMatchObject({ type: "dataset", latest_version: 2 });

  // Deleting the newest moves latest back.
  expect((await api("DELETE", `${base(project.name, "mnist")}/versions/v2`, { creds: team.creds })).status).toBe(204);
  const back = await api("GET", `${base(project.name, "mnist")}/versions/latest`, { creds: team.creds });
  expect(back.body.version.version).toBe(1);
});

test("identical bytes upload once; a commit before the upload is refused and shows nothing", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const bytes = Buffer.from("same bytes in both");
  const first = await putVersion(team, project.id, "m", { "w.bin": bytes });
  expect(first.announce.uploads).toHaveLength(1);
  const again = await putVersion(team, project.id, "m2", { "copy.bin": bytes });
  expect(again.announce.uploads).toHaveLength(0);

  const files = [{ path: "x.bin", size: 10, sha256: sha256("never sent") }];
  const ann = await api("POST", `${base(project.id, "m")}/versions`, { creds: team.creds, json: { type: "dataset", files } });
  expect(ann.status, ann.text).toBe(201);
  expectError(await api("POST", `${base(project.id, "m")}/versions/${ann.body.version.id}/commit`, { creds: team.creds }), 409, "conflict");
  // Wrong size: the store holds 5 bytes, 10 were announced.
  expect((await fetch(ann.body.uploads[0].url, { method: "PUT", body: "short" })).status).toBe(200);
  const bad = await api("POST", `${base(project.id, "m")}/versions/${ann.body.version.id}/commit`, { creds: team.creds });
  expectError(bad, 409, "conflict");
  expect(bad.text).toContain("announced 10");
  expect((await api("GET", base(project.id, "m"), { creds: team.creds })).body.versions).toHaveLength(1);
  expectError(await api("POST", `${base(project.id, "m")}/versions`, { creds: team.creds, json: { type: "model", files } }), 409);
  const usage = await api("GET", "/api/v1/storage/usage", { creds: team.creds });
  expect(usage.body).toEqual({ bytes: bytes.length, objects: 1 });
});

test("lineage reads both ways; run files go up the same way", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const producer = await makeRun(team, project.id);
  const consumer = await makeRun(team, project.id);
  await putVersion(team, project.id, "model", { "w.pt": Buffer.from("weights") }, { run_id: producer });
  const use = await api("POST", `/api/v1/runs/${consumer}/artifacts/inputs`, {
    creds: team.creds,
    json: { project: project.name, artifact: "model", version: "latest" },
  });
  expect(use.status, use.text).toBe(201);
  const v = await api("GET", `${base(project.id, "model")}/versions/v1`, { creds: team.creds });
  expect(v.body.produced_by.id).toBe(producer);
  expect(v.body.used_by.map((r: any) => r.id)).toEqual([consumer]);
  const inRun = await api("GET", `/api/v1/runs/${consumer}/artifacts`, { creds: team.creds });
  expect(inRun.body.inputs).toMatchObject([{ artifact: "model", version: 1 }]);
  expect((await api("GET", `/api/v1/runs/${producer}/artifacts`, { creds: team.creds })).body.outputs).toHaveLength(1);

  const img = Buffer.from("png-ish");
  const ann = await api("POST", `/api/v1/runs/${producer}/files`, { creds: team.creds, json: { files: [{ path: "media/a.png", size: img.length, sha256: sha256(img) }] } });
  expect(ann.status, ann.text).toBe(201);
  expect((await fetch(ann.body.uploads[0].url, { method: "PUT", body: img })).status).toBe(200);
  const done = await api("POST", `/api/v1/runs/${producer}/files/commit`, { creds: team.creds, json: { paths: ["media/a.png"] } });
  expect(done.status, done.text).toBe(200);
  const list = await api("GET", `/api/v1/runs/${producer}/files`, { creds: team.creds });
  expect(list.body.files).toMatchObject([{ path: "media/a.png", size: img.length }]);
  expect(Buffer.from(await (await fetch(list.body.files[0].url)).arrayBuffer()).equals(img)).toBe(true);
});

test("another team can neither resolve, list, mint URLs for, nor use these artifacts", async () => {
  const team = await makeTeam();
  const other = await makeTeam();
  const project = await makeProject(team);
  const run = await makeRun(team, project.id);
  await putVersion(team, project.id, "secret", { "s.bin": Buffer.from("secret") });
  const o = other.creds;
  expectError(await api("GET", `${base(project.id, "secret")}/versions/latest`, { creds: o }), 404);
  expectError(await api("GET", `/api/v1/projects/${project.id}/artifacts`, { creds: o }), 404);
  expectError(await api("POST", `${base(project.id, "secret")}/versions`, { creds: o, json: { type: "dataset", files: [{ path: "a", size: 1, sha256: sha256("a") }] } }), 404);
  expectError(await api("POST", `/api/v1/runs/${run}/files`, { creds: o, json: { files: [{ path: "a", size: 1, sha256: sha256("a") }] } }), 404);
  // Its own project of the same name holds nothing of the first team's.
  const mine = await makeProject(other, project.name);
  expectError(await api("GET", `${base(mine.id, "secret")}/versions/latest`, { creds: o }), 404);
  // Bad input names the field.
  const bad = await api("POST", `${base(project.id, "x")}/versions`, { creds: team.creds, json: { type: "dataset", files: [{ path: "../etc", size: 1, sha256: "zz" }] } });
  expectError(bad, 400, "invalid_argument");
  expect(bad.text).toContain("files.0.path");
});

test("a manifest of 1,000 files with long paths fits the request limit", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const files = Array.from({ length: 1000 }, (_, i) => ({
    path: `${"deep/".repeat(60)}file-${i}.bin`,
    size: 1,
    sha256: createHash("sha256").update(String(i)).digest("hex"),
  }));
  const res = await api("POST", `/api/v1/projects/${project.id}/artifacts/many/versions`, {
    creds: team.creds,
    json: { type: "dataset", files },
  });
  expect(res.status, res.text.slice(0, 300)).toBe(201);
  expect(res.body.uploads).toHaveLength(1000);
});
