import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { HttpClient } from "../sdk/client.ts";
import { logArtifact, useArtifact } from "../sdk/artifacts.ts";
import { api, stack } from "./helpers/api";
import { makeProject, makeTeam } from "./helpers/harness";

const MiB = 1024 * 1024;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sightline-art-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// 200 MiB from a seeded xorshift block, each MiB stamped with its index so no
// two parts are alike; hashed while it is written.
async function writeBigFile(path: string, mib: number): Promise<string> {
  const block = Buffer.alloc(MiB);
  let x = 0x9e3779b9;
  for (let i = 0; i < MiB; i += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    block.writeUInt32LE(x >>> 0, i);
  }
  const hash = createHash("sha256");
  const out = createWriteStream(path);
  for (let i = 0; i < mib; i++) {
    const chunk = Buffer.from(block);
    chunk.writeUInt32LE(i, 0);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return hash.digest("hex");
}

async function fileSha(path: string) {
  const hash = createHash("sha256");
  for await (const c of createReadStream(path, { highWaterMark: 4 * MiB })) hash.update(c as Buffer);
  return hash.digest("hex");
}

test("a 200 MiB file goes up in parts with one failed part retried, comes back byte-exact, and uploads once", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const http = new HttpClient({ baseUrl: stack().url, apiKey: team.key });
  const src = join(dir, "model.bin");
  const want = await writeBigFile(src, 200);

  // Part 3's first try is cut off mid-body: a real aborted connection to the store.
  let part3Tries = 0;
  const partUrls = new Set<string>();
  const flaky: typeof fetch = async (input, init) => {
    const url = String(input);
    if (url.includes("partNumber=")) partUrls.add(url);
    if (/[?&]partNumber=3(&|$)/.test(url) && ++part3Tries === 1) {
      const ctl = new AbortController();
      setTimeout(() => ctl.abort(new Error("cut off")), 5);
      return fetch(input, { ...init, signal: ctl.signal });
    }
    return fetch(input, init);
  };
  const progress: number[] = [];
  const first = await logArtifact(http, null, src, {
    project: project.name, name: "big", type: "model", aliases: ["best"], fetch: flaky, onProgress: (d) => progress.push(d),
  });
  expect(part3Tries).toBe(2);
  expect(partUrls.size).toBe(13); // 200 MiB in 16 MiB parts
  expect(first.uploadedBytes).toBe(200 * MiB);
  expect(first.version).toMatchObject({ version: 1, size: 200 * MiB, aliases: ["best", "latest"] });
  expect(progress.at(-1)).toBe(200 * MiB);

  const out = join(dir, "out");
  const got = await useArtifact(http, "big:best", out, { project: project.id });
  expect(got.files).toEqual([{ path: "model.bin", size: 200 * MiB, sha256: want }]);
  expect(await fileSha(join(out, "model.bin"))).toBe(want);

  // The same bytes again, as another artifact: nothing is transferred.
  let puts = 0;
  const counting: typeof fetch = (input, init) => {
    if (init?.method === "PUT") puts++;
    return fetch(input, init);
  };
  const second = await logArtifact(http, null, src, { project: project.name, name: "big-copy", type: "model", fetch: counting });
  expect(second.uploadedBytes).toBe(0);
  expect(puts).toBe(0);
  const usage = await api("GET", "/api/v1/storage/usage", { creds: team.creds });
  expect(usage.body).toEqual({ bytes: 200 * MiB, objects: 1 });
});
