import { expect, test } from "vitest";
import { api, type Reply } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeProject, makeRun, makeTeam, type Team } from "./helpers/harness";
import { putVersion, sha256 } from "./helpers/routes/artifacts";

// The storage quota (docs/adr/0011): reserved when uploads are announced (the
// team's objects, pending ones included, plus the new unique bytes), checked
// again at commit. Dedup is free: bytes the team holds cost nothing.

async function teamWith(storageBytes: number): Promise<Team> {
  const team = await makeTeam("Storage");
  await sql("update teams set plan_overrides = $2 where id = $1", [team.id, JSON.stringify({ storageBytes })]);
  return team;
}

const bytes = (n: number, fill = "a") => Buffer.alloc(n, fill);
const base = (p: string, n: string) => `/api/v1/projects/${p}/artifacts/${n}`;
const announce = (team: Team, project: string, name: string, files: Record<string, Buffer>) =>
  api("POST", `${base(project, name)}/versions`, {
    creds: team.creds,
    json: { type: "dataset", files: Object.entries(files).map(([path, b]) => ({ path, size: b.length, sha256: sha256(b) })) },
  });

function expectStorageQuota(res: Reply, limit: number, used: number) {
  expectError(res, 402, "quota_exceeded");
  expect(res.body.error, res.text).toMatchObject({ limit_name: "storageBytes", limit, used, plan: "free" });
  expect(res.body.error.message, res.text).toMatch(/storage: .*raise it/);
}

test("announce reserves: exactly at the limit succeeds (pending counts), one byte over is refused, re-used bytes are free", async () => {
  const team = await teamWith(100);
  const project = await makeProject(team);
  await putVersion(team, project.id, "a", { "x.bin": bytes(60) });
  const pending = await announce(team, project.id, "b", { "y.bin": bytes(40, "b") });
  expect(pending.status, pending.text).toBe(201);
  // 60 stored + 40 reserved = 100: the next new byte is refused, and no version appears.
  const over = await announce(team, project.id, "c", { "z.bin": bytes(1, "c") });
  expectStorageQuota(over, 100, 100);
  expectError(await api("GET", base(project.id, "c"), { creds: team.creds }), 404);
  // The same bytes again (deduplicated) need no room.
  const again = await announce(team, project.id, "d", { "copy.bin": bytes(60), "copy2.bin": bytes(40, "b") });
  expect(again.status, again.text).toBe(201);
  expect(again.body.uploads).toHaveLength(1); // y.bin is still pending
  // Run files share the quota.
  const run = await makeRun(team);
  const files = [{ path: "out.txt", size: 1, sha256: sha256("r") }];
  expectStorageQuota(await api("POST", `/api/v1/runs/${run}/files`, { creds: team.creds, json: { files } }), 100, 100);
  const usage = await api("GET", "/api/v1/usage", { creds: team.creds });
  expect(usage.body.usage.storage_bytes).toBe(100);
  expect(usage.body.warnings).toContainEqual({ limit: "storageBytes", used: 100, ratio: 1, level: "100%" });
});

test("commit re-checks: a limit lowered after the announce refuses the commit; raised again, it lands", async () => {
  const team = await teamWith(100);
  const project = await makeProject(team);
  const body = bytes(50, "q");
  const ann = await announce(team, project.id, "m", { "w.bin": body });
  expect(ann.status, ann.text).toBe(201);
  expect((await fetch(ann.body.uploads[0].url, { method: "PUT", body: new Uint8Array(body) })).status).toBe(200);
  await sql("update teams set plan_overrides = '{\"storageBytes\": 40}' where id = $1", [team.id]);
  const commit = () => api("POST", `${base(project.id, "m")}/versions/${ann.body.version.id}/commit`, { creds: team.creds });
  const refused = await commit();
  expectStorageQuota(refused, 40, 0);
  expect((await api("GET", `${base(project.id, "m")}/versions/latest`, { creds: team.creds })).status).toBe(404);
  await sql("update teams set plan_overrides = '{\"storageBytes\": 50}' where id = $1", [team.id]);
  const ok = await commit();
  expect(ok.status, ok.text).toBe(200);
});
