// Artifacts from Node: hash the files, announce them, PUT only what the server
// asks for (straight to object storage through presigned URLs, parts in
// parallel with retries), then commit. Downloads verify every file's sha256.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { HttpClient } from "./client.ts";

export type Http = Pick<HttpClient, "request">;
export type Progress = (done: number, total: number) => void;
type FileEntry = { path: string; size: number; sha256: string; abs: string };
type Upload =
  | { sha256: string; size: number; method: "PUT"; url: string }
  | { sha256: string; size: number; method: "MULTIPART"; part_size: number; parts: { part_number: number; url: string }[] };

export type LogArtifactOptions = {
  name: string;
  type: string;
  aliases?: string[];
  metadata?: Record<string, unknown>;
  description?: string;
  /** Needed without a run; with one, the run's project. */
  project?: string;
  /** Parts (or small files) in flight at once. */
  concurrency?: number;
  /** Tries per part before giving up. */
  attempts?: number;
  onProgress?: Progress;
  fetch?: typeof fetch;
};

export type ArtifactVersion = { id: string; version: number; aliases: string[]; size: number; file_count: number; [k: string]: unknown };
export type LogResult = { version: ArtifactVersion; uploadedBytes: number; totalBytes: number };

const seg = (s: string) => encodeURIComponent(s);

export async function logArtifact(http: Http, runId: string | null, pathOrDir: string, opts: LogArtifactOptions): Promise<LogResult> {
  const project = opts.project ?? (runId ? await runProject(http, runId) : undefined);
  if (!project) throw new Error("logArtifact: give opts.project when there is no run");
  const files = await hashTree(pathOrDir);
  const base = `/api/v1/projects/${seg(project)}/artifacts/${seg(opts.name)}`;
  const announced = await http.request<{ version: { id: string }; uploads: Upload[] }>("POST", `${base}/versions`, {
    type: opts.type,
    files: files.map(({ path, size, sha256 }) => ({ path, size, sha256 })),
    aliases: opts.aliases,
    metadata: opts.metadata,
    description: opts.description,
    run_id: runId ?? undefined,
  });
  const bySha = new Map(files.map((f) => [f.sha256, f]));
  const jobs = announced.uploads.flatMap((u) => {
    const abs = bySha.get(u.sha256)!.abs;
    if (u.method === "PUT") return [{ url: u.url, abs, offset: 0, length: u.size }];
    return u.parts.map((p) => {
      const offset = (p.part_number - 1) * u.part_size;
      return { url: p.url, abs, offset, length: Math.min(u.part_size, u.size - offset) };
    });
  });
  const total = jobs.reduce((n, j) => n + j.length, 0);
  let done = 0;
  opts.onProgress?.(0, total);
  const doFetch = opts.fetch ?? fetch;
  await mapLimit(jobs, opts.concurrency ?? 4, async (job) => {
    const body = await readRange(job.abs, job.offset, job.length);
    await withRetries(opts.attempts ?? 5, async () => {
      const res = await doFetch(job.url, { method: "PUT", body: body as unknown as BodyInit });
      const text = await res.text();
      if (!res.ok) throw Object.assign(new Error(`upload refused: ${res.status} ${text.slice(0, 200)}`), { fatal: res.status === 403 });
    });
    done += job.length;
    opts.onProgress?.(done, total);
  });
  const committed = await http.request<{ version: ArtifactVersion }>("POST", `${base}/versions/${seg(announced.version.id)}/commit`, undefined, {
    maxAttempts: 5,
  });
  return { version: committed.version, uploadedBytes: total, totalBytes: files.reduce((n, f) => n + f.size, 0) };
}

export type UseArtifactOptions = { project?: string; runId?: string; onProgress?: Progress; fetch?: typeof fetch; attempts?: number };
export type UseResult = { version: ArtifactVersion; dir: string; files: { path: string; size: number; sha256: string }[] };

/** `ref` is "name:alias" or "name:v3" (alias defaults to latest); files land under `dir`. */
export async function useArtifact(http: Http, ref: string, dir: string, opts: UseArtifactOptions = {}): Promise<UseResult> {
  const [name, version = "latest"] = splitRef(ref);
  const project = opts.project ?? (opts.runId ? await runProject(http, opts.runId) : undefined);
  if (!project) throw new Error("useArtifact: give opts.project or opts.runId");
  const res = await http.request<{ version: ArtifactVersion; files: { path: string; size: number; sha256: string; url: string }[] }>(
    "GET",
    `/api/v1/projects/${seg(project)}/artifacts/${seg(name)}/versions/${seg(version)}`,
  );
  const root = resolve(dir);
  const total = res.files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  opts.onProgress?.(0, total);
  await mapLimit(res.files, 4, async (f) => {
    const target = resolve(root, f.path);
    if (!target.startsWith(root + sep)) throw new Error(`useArtifact: refusing path outside ${root}: ${f.path}`);
    await mkdir(dirname(target), { recursive: true });
    await withRetries(opts.attempts ?? 5, () => download(opts.fetch ?? fetch, f, target));
    done += f.size;
    opts.onProgress?.(done, total);
  });
  if (opts.runId) {
    await http.request("POST", `/api/v1/runs/${seg(opts.runId)}/artifacts/inputs`, { project, artifact: name, version: res.version.id });
  }
  return { version: res.version, dir: root, files: res.files.map(({ path, size, sha256 }) => ({ path, size, sha256 })) };
}

export function splitRef(ref: string): [string, string | undefined] {
  const at = ref.lastIndexOf(":");
  return at < 0 ? [ref, undefined] : [ref.slice(0, at), ref.slice(at + 1)];
}

// Streams to a temporary name while hashing; only verified bytes get the real name.
async function download(doFetch: typeof fetch, f: { path: string; size: number; sha256: string; url: string }, target: string) {
  const res = await doFetch(f.url);
  if (!res.ok || !res.body) throw Object.assign(new Error(`download of ${f.path} refused: ${res.status}`), { fatal: res.status === 403 });
  const hash = createHash("sha256");
  let size = 0;
  const tmp = `${target}.part`;
  const counted = Readable.fromWeb(res.body as import("node:stream/web").ReadableStream).on("data", (c: Buffer) => {
    hash.update(c);
    size += c.length;
  });
  await pipeline(counted, createWriteStream(tmp));
  const got = hash.digest("hex");
  if (size !== f.size || got !== f.sha256) {
    await rm(tmp, { force: true });
    throw new Error(`${f.path}: downloaded ${size} bytes with sha256 ${got}, expected ${f.size} bytes ${f.sha256}`);
  }
  await rename(tmp, target);
}

async function runProject(http: Http, runId: string): Promise<string> {
  const res = await http.request<{ run: { project_id: string } }>("GET", `/api/v1/runs/${seg(runId)}`);
  return res.run.project_id;
}

/** Every regular file under pathOrDir (or the file itself), with POSIX paths relative to it. */
export async function hashTree(pathOrDir: string): Promise<FileEntry[]> {
  const root = resolve(pathOrDir);
  const info = await stat(root);
  const abs: string[] = [];
  if (info.isFile()) abs.push(root);
  else {
    for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) abs.push(join(e.parentPath, e.name));
    }
  }
  const out = await mapLimit(abs.sort(), 4, async (p) => {
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    const path = info.isFile() ? basename(p) : relative(root, p).split(sep).join("/");
    return { path, size, sha256: hash.digest("hex"), abs: p };
  });
  return out;
}

async function readRange(path: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await fh.read(buf, read, length - read, offset + read);
      if (bytesRead === 0) throw new Error(`${path} shrank while uploading`);
      read += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

async function withRetries(attempts: number, fn: () => Promise<void>): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      // A 403 is an expired or refused URL: the same URL will not work again.
      if (i >= attempts || (err as { fatal?: boolean }).fatal) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(8000, 250 * 2 ** i)));
    }
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
