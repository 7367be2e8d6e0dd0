import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeRun, makeTeam, type Team } from "./helpers/harness";
import { sha256 } from "./helpers/routes/artifacts";
import { runCron } from "./helpers/scheduled";

// Re-announcing a committed run file starts a replacement; until the new bytes
// commit, the old file stays listed and its object stays in the store.
const entry = (path: string, b: Buffer) => ({ path, size: b.length, sha256: sha256(b) });
const announce = (team: Team, run: string, files: { path: string; size: number; sha256: string }[]) =>
  api("POST", `/api/v1/runs/${run}/files`, { creds: team.creds, json: { files } });
const commit = (team: Team, run: string, paths: string[]) => api("POST", `/api/v1/runs/${run}/files/commit`, { creds: team.creds, json: { paths } });
const list = async (team: Team, run: string) => {
  const res = await api("GET", `/api/v1/runs/${run}/files`, { creds: team.creds });
  expect(res.status, res.text).toBe(200);
  return res.body.files as { path: string; size: number; sha256: string; url: string }[];
};

async function upload(team: Team, run: string, files: Record<string, Buffer>) {
  const res = await announce(team, run, Object.entries(files).map(([p, b]) => entry(p, b)));
  expect(res.status, res.text).toBe(201);
  const bySha = new Map(Object.values(files).map((b) => [sha256(b), b]));
  for (const u of res.body.uploads) {
    const put = await fetch(u.url, { method: "PUT", body: new Uint8Array(bySha.get(u.sha256)!) });
    expect(put.status, await put.text()).toBe(200);
  }
  const done = await commit(team, run, Object.keys(files));
  expect(done.status, done.text).toBe(200);
}

// What the 24-hour GC sees a day later: pending announcements expired, objects past their grace.
async function aDayLater(teamId: string) {
  await sql("update run_files set created_at = now() - interval '2 days' where team_id = $1", [teamId]);
  await sql("update objects set touched_at = now() - interval '2 hours' where team_id = $1", [teamId]);
  await runCron();
}

const objectShas = async (teamId: string) =>
  (await sql<{ sha256: string }>("select sha256 from objects where team_id = $1 order by sha256", [teamId])).map((r) => r.sha256);

test("a re-announced run file stays listed, and its object kept, until the new version commits", async () => {
  const team = await makeTeam();
  const run = await makeRun(team);
  const [v1, v2, other] = [Buffer.from("model v1"), Buffer.from("model v2, larger"), Buffer.from("notes")];
  await upload(team, run, { "out/model.bin": v1, "notes.txt": other });

  // Announce a replacement and a new file, upload nothing.
  const re = await announce(team, run, [entry("out/model.bin", v2), entry("new.txt", v2)]);
  expect(re.status, re.text).toBe(201);
  let files = await list(team, run);
  expect(files.map((f) => [f.path, f.sha256, f.size])).toEqual([
    ["notes.txt", sha256(other), other.length],
    ["out/model.bin", sha256(v1), v1.length],
  ]);
  expect(Buffer.from(await (await fetch(files[1]!.url)).arrayBuffer()).equals(v1)).toBe(true);

  // Committing without the bytes is refused, and changes nothing.
  expectError(await commit(team, run, ["out/model.bin"]), 409, "conflict");
  expect((await list(team, run)).map((f) => f.sha256)).toEqual([sha256(other), sha256(v1)]);

  // A day on, the abandoned replacement is dropped; the committed file and its bytes are not.
  await aDayLater(team.id);
  files = await list(team, run);
  expect(files.map((f) => [f.path, f.sha256])).toEqual([
    ["notes.txt", sha256(other)],
    ["out/model.bin", sha256(v1)],
  ]);
  expect(await objectShas(team.id)).toEqual([sha256(other), sha256(v1)].sort());
  expect(Buffer.from(await (await fetch(files[1]!.url)).arrayBuffer()).equals(v1)).toBe(true);

  // Replacing for real: the new version is listed once it commits, and the old object becomes garbage.
  await upload(team, run, { "out/model.bin": v2 });
  files = await list(team, run);
  expect(files.map((f) => [f.path, f.sha256, f.size])).toEqual([
    ["notes.txt", sha256(other), other.length],
    ["out/model.bin", sha256(v2), v2.length],
  ]);
  expect(Buffer.from(await (await fetch(files[1]!.url)).arrayBuffer()).equals(v2)).toBe(true);
  await aDayLater(team.id);
  expect(await objectShas(team.id)).toEqual([sha256(other), sha256(v2)].sort());
});

test("re-announcing a committed file with the same bytes keeps it listed; committing it again is harmless", async () => {
  const team = await makeTeam();
  const run = await makeRun(team);
  const b = Buffer.from("same bytes");
  await upload(team, run, { "a.txt": b });
  const re = await announce(team, run, [entry("a.txt", b)]);
  expect(re.status, re.text).toBe(201);
  expect(re.body.uploads).toEqual([]);
  expect((await list(team, run)).map((f) => f.path)).toEqual(["a.txt"]);
  const again = await commit(team, run, ["a.txt"]);
  expect(again.status, again.text).toBe(200);
  expect(again.body.files.map((f: any) => [f.path, f.sha256])).toEqual([["a.txt", sha256(b)]]);
  // Nothing pending is left behind to expire.
  expect(await sql("select path from run_files where team_id = $1 and state = 'pending'", [team.id])).toEqual([]);
});
