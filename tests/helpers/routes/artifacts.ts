import { createHash } from "node:crypto";
import { expect } from "vitest";
import { api, uniq } from "../api";
import { makeRun, type Team } from "../harness";
import type { Area, RouteCase } from "../route-table";

export const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

export { makeRun };

// Announce, PUT each small file to its presigned URL, commit: the whole upload protocol.
export async function putVersion(team: Team, project: string, name: string, files: Record<string, Buffer>, extra: Record<string, unknown> = {}) {
  const entries = Object.entries(files).map(([path, b]) => ({ path, size: b.length, sha256: sha256(b) }));
  const res = await api("POST", `/api/v1/projects/${project}/artifacts/${name}/versions`, {
    creds: team.creds,
    json: { type: "dataset", files: entries, ...extra },
  });
  expect(res.status, res.text).toBe(201);
  const bySha = new Map(entries.map((e) => [e.sha256, files[e.path]!]));
  for (const u of res.body.uploads) {
    const put = await fetch(u.url, { method: "PUT", body: new Uint8Array(bySha.get(u.sha256)!) });
    expect(put.status, await put.text()).toBe(200);
  }
  const commit = await api("POST", `/api/v1/projects/${project}/artifacts/${name}/versions/${res.body.version.id}/commit`, { creds: team.creds });
  expect(commit.status, commit.text).toBe(200);
  return { announce: res.body, version: commit.body.version };
}

const art = "/api/v1/projects/{project}/artifacts";
const own = (f: any) => ({ project: f.projectId, name: f.artifactName, version: "v1", alias: "best", run: f.runId });
const file = () => ({ path: "a.txt", size: 1, sha256: sha256("x") });

export const artifactRoutes: RouteCase[] = [
  { method: "GET", path: art, scope: "read", owned: true, params: own },
  { method: "GET", path: `${art}/{name}`, scope: "read", owned: true, params: own },
  { method: "POST", path: `${art}/{name}/versions`, scope: "write", owned: true, params: own, body: () => ({ type: "dataset", files: [file()] }) },
  // Commit takes the version's id, not its number.
  { method: "POST", path: `${art}/{name}/versions/{version}/commit`, scope: "write", owned: true, params: (f) => ({ ...own(f), version: f.versionId }) },
  { method: "GET", path: `${art}/{name}/versions/{version}`, scope: "read", owned: true, params: own },
  { method: "DELETE", path: `${art}/{name}/versions/{version}`, scope: "write", owned: true, params: own },
  { method: "PUT", path: `${art}/{name}/aliases/{alias}`, scope: "write", owned: true, params: own, body: () => ({ version: "v1" }) },
  { method: "DELETE", path: `${art}/{name}/aliases/{alias}`, scope: "write", owned: true, params: own },
  {
    method: "POST",
    path: "/api/v1/runs/{run}/artifacts/inputs",
    scope: "write",
    owned: true,
    params: own,
    body: (f) => ({ project: f.projectId, artifact: f.artifactName, version: "v1" }),
  },
  { method: "GET", path: "/api/v1/runs/{run}/artifacts", scope: "read", owned: true, params: own },
  { method: "POST", path: "/api/v1/runs/{run}/files", scope: "write", owned: true, params: own, body: () => ({ files: [file()] }) },
  { method: "POST", path: "/api/v1/runs/{run}/files/commit", scope: "write", owned: true, params: own, body: () => ({ paths: ["a.txt"] }) },
  { method: "GET", path: "/api/v1/runs/{run}/files", scope: "read", owned: true, params: own },
  { method: "GET", path: "/api/v1/storage/usage", scope: "read" },
];

export const artifactsArea: Area = {
  routes: artifactRoutes,
  fixture: async (f) => {
    const artifactName = `a-${uniq()}`;
    const { version } = await putVersion(f.team, f.projectId, artifactName, { "a.txt": Buffer.from("fixture") });
    // The alias the paths name must exist, or "another team gets 404" proves nothing.
    const alias = await api("PUT", `/api/v1/projects/${f.projectId}/artifacts/${artifactName}/aliases/best`, { creds: f.team.creds, json: { version: "v1" } });
    expect(alias.status, alias.text).toBe(200);
    return { artifactName, versionId: version.id as string, runId: await makeRun(f.team, f.projectId) };
  },
};
