import { createHash, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { api, stack, type Creds } from "./helpers/api";
import { makeKey, makeProject, makeRun, makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";

// MLflow's proxied artifact service, driven over HTTP the way the stock client
// drives it (mlflow/store/artifact/http_artifact_repo.py): raw-body PUTs,
// GETs that redirect to the object store, ?path= listings, multipart uploads
// whose parts go straight to presigned URLs.

const svc = "/api/2.0/mlflow-artifacts";
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const enc = (p: string) => p.split("/").map(encodeURIComponent).join("/");

const put = (creds: Creds, path: string, body: Uint8Array | string) =>
  api("PUT", `${svc}/artifacts/${enc(path)}`, { creds, body: body as BodyInit, headers: { "content-type": "application/octet-stream" } });

// GET answers with a redirect; the presigned URL needs no credentials.
async function download(creds: Creds, path: string): Promise<Buffer> {
  const res = await api("GET", `${svc}/artifacts/${enc(path)}`, { creds });
  expect(res.status, res.text).toBe(302);
  const url = res.headers.get("location")!;
  expect(url).toMatch(/X-Amz-Signature=/);
  const got = await fetch(url);
  expect(got.status).toBe(200);
  return Buffer.from(await got.arrayBuffer());
}

const list = (creds: Creds, path: string) => api("GET", `${svc}/artifacts?path=${encodeURIComponent(path)}`, { creds });
const nativeFiles = async (team: Team, run: string) => (await api("GET", `/api/v1/runs/${run}/files`, { creds: team.creds })).body.files as any[];
const usage = async (team: Team) => (await api("GET", "/api/v1/storage/usage", { creds: team.creds })).body as { bytes: number; objects: number };

let team: Team;
let project: string;
let run: string;
let root: string;

beforeAll(async () => {
  team = await makeTeam("MlflowArt");
  project = (await makeProject(team)).id;
  run = await makeRun(team, project);
  root = `${project}/${run}/artifacts`;
});

describe("PUT and GET", () => {
  test("round trip is byte-exact, the object is content-addressed, and Basic auth works as the client sends it", async () => {
    const bytes = randomBytes(300_000);
    const res = await put(team.creds, `${root}/rt/data.bin`, bytes);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({});
    expect((await download({ basic: team.key }, `${root}/rt/data.bin`)).equals(bytes)).toBe(true);
    // The same row the native API lists: the dashboard's Files tab shows it.
    const file = (await nativeFiles(team, run)).find((f) => f.path === "rt/data.bin");
    expect(file).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
  });

  test("an empty file round-trips", async () => {
    expect((await put(team.creds, `${root}/rt/empty.txt`, new Uint8Array())).status).toBe(200);
    expect((await download(team.creds, `${root}/rt/empty.txt`)).length).toBe(0);
  });

  test("identical bytes under another path (or again) store nothing new; overwriting a path replaces its bytes", async () => {
    const t = await makeTeam("Dedupe");
    const p = (await makeProject(t)).id;
    const base = `${p}/${await makeRun(t, p)}/artifacts`;
    const bytes = randomBytes(50_000);
    expect((await put(t.creds, `${base}/a.bin`, bytes)).status).toBe(200);
    const once = await usage(t);
    expect(once).toEqual({ bytes: bytes.length, objects: 1 });
    expect((await put(t.creds, `${base}/copy/b.bin`, bytes)).status).toBe(200);
    expect((await put(t.creds, `${base}/a.bin`, bytes)).status).toBe(200);
    expect(await usage(t)).toEqual(once);
    const other = Buffer.from("new bytes");
    expect((await put(t.creds, `${base}/a.bin`, other)).status).toBe(200);
    expect((await download(t.creds, `${base}/a.bin`)).equals(other)).toBe(true);
    expect((await download(t.creds, `${base}/copy/b.bin`)).equals(bytes)).toBe(true);
    expect(await usage(t)).toEqual({ bytes: bytes.length + other.length, objects: 2 });
  });

  test("a missing file, a path of another shape, and a run outside the named experiment are RESOURCE_DOES_NOT_EXIST", async () => {
    expectMlflowError(await api("GET", `${svc}/artifacts/${root}/nope.txt`, { creds: team.creds }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await put(team.creds, `${project}/${run}/other/x.txt`, "x"), 404, "RESOURCE_DOES_NOT_EXIST");
    const elsewhere = (await makeProject(team)).id;
    expectMlflowError(await put(team.creds, `${elsewhere}/${run}/artifacts/x.txt`, "x"), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await put(team.creds, `${project}/models/m_nope/artifacts/x.txt`, "x"), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  test("another team gets 404 for every verb; a read-only key may read but not write", async () => {
    expect((await put(team.creds, `${root}/private.txt`, "secret")).status).toBe(200);
    const outsider = await makeTeam("Outsider");
    expectMlflowError(await api("GET", `${svc}/artifacts/${root}/private.txt`, { creds: outsider.creds }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await put(outsider.creds, `${root}/private.txt`, "overwrite"), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api("DELETE", `${svc}/artifacts/${root}/private.txt`, { creds: outsider.creds }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await list(outsider.creds, root), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await mlflow("GET", "artifacts/list", { creds: outsider.creds, query: { run_id: run } }), 404, "RESOURCE_DOES_NOT_EXIST");
    const read = { key: (await makeKey(team, ["read"])).key };
    expectMlflowError(await put(read, `${root}/private.txt`, "overwrite"), 403, "PERMISSION_DENIED");
    expectMlflowError(await api("DELETE", `${svc}/artifacts/${root}/private.txt`, { creds: read }), 403, "PERMISSION_DENIED");
    expect((await download(read, `${root}/private.txt`)).toString()).toBe("secret");
  });

  test("path traversal, empty segments and backslashes are 400 INVALID_PARAMETER_VALUE", async () => {
    // %2F keeps the fetch client from normalising the dots away; the route sees "../".
    expectMlflowError(await api("PUT", `${svc}/artifacts/${root}/a%2F..%2F..%2Fx.txt`, { creds: team.creds, body: "x" }), 400, "INVALID_PARAMETER_VALUE", /\.\./);
    expectMlflowError(await api("PUT", `${svc}/artifacts/${root}//x.txt`, { creds: team.creds, body: "x" }), 400, "INVALID_PARAMETER_VALUE");
    expectMlflowError(await api("PUT", `${svc}/artifacts/${root}/a%5Cb.txt`, { creds: team.creds, body: "x" }), 400, "INVALID_PARAMETER_VALUE");
    expectMlflowError(await list(team.creds, `${root}/../../x`), 400, "INVALID_PARAMETER_VALUE");
    expectMlflowError(await list(team.creds, `/${root}`), 400, "INVALID_PARAMETER_VALUE");
    expectMlflowError(await mlflow("GET", "artifacts/list", { creds: team.creds, query: { run_id: run, path: "../x" } }), 400, "INVALID_PARAMETER_VALUE");
    const mpu = await api("POST", `${svc}/mpu/create/${root}`, { creds: team.creds, json: { path: "/tmp/..", num_parts: 1 } });
    expectMlflowError(mpu, 400, "INVALID_PARAMETER_VALUE");
    // The artifact root itself is a directory, not a file to write.
    expectMlflowError(await put(team.creds, root, "x"), 400, "INVALID_PARAMETER_VALUE");
  });

  test("a body shorter than its Content-Length is refused and leaves no file", async () => {
    const url = `${stack().url}${svc}/artifacts/${root}/short.bin`;
    const body = new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(10)), c.close()) });
    const res = await fetch(url, { method: "PUT", body, headers: { authorization: `Bearer ${team.key}`, "content-length": "1000" }, duplex: "half" } as RequestInit).catch(
      (e: unknown) => e,
    );
    // Either the server refuses it or the client itself will not send a short body.
    if (res instanceof Response) expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await nativeFiles(team, run)).some((f) => f.path === "short.bin")).toBe(false);
  });
});

describe("listing and deleting", () => {
  let base: string;
  let r: string;
  beforeAll(async () => {
    r = await makeRun(team, project);
    base = `${project}/${r}/artifacts`;
    for (const [p, b] of [["a.txt", "aa"], ["d/b.txt", "bbb"], ["d/e/c.txt", "c"], ["d/e/f/g.txt", "g"]]) {
      expect((await put(team.creds, `${base}/${p}`, b!)).status).toBe(200);
    }
  });

  test("the artifact service lists direct children by base name; a file or an unknown directory lists nothing", async () => {
    expect((await list(team.creds, base)).body).toEqual({ files: [{ path: "a.txt", is_dir: false, file_size: 2 }, { path: "d", is_dir: true }] });
    expect((await list(team.creds, `${base}/d`)).body).toEqual({ files: [{ path: "b.txt", is_dir: false, file_size: 3 }, { path: "e", is_dir: true }] });
    expect((await list(team.creds, `${base}/d/b.txt`)).body).toEqual({});
    expect((await list(team.creds, `${base}/nothing`)).body).toEqual({});
  });

  test("artifacts/list names children by their path from the run's root, with the root URI; run_uuid works too", async () => {
    const res = await mlflow("GET", "artifacts/list", { creds: team.creds, query: { run_id: r } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ root_uri: `mlflow-artifacts:/${base}`, files: [{ path: "a.txt", is_dir: false, file_size: 2 }, { path: "d", is_dir: true }] });
    const sub = await mlflow("GET", "artifacts/list", { creds: team.creds, query: { run_uuid: r, path: "d/e" } });
    expect(sub.body.files).toEqual([{ path: "d/e/c.txt", is_dir: false, file_size: 1 }, { path: "d/e/f", is_dir: true }]);
    expectMlflowError(await mlflow("GET", "artifacts/list", { creds: team.creds, query: {} }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
  });

  test("DELETE removes a file, or a directory with everything under it", async () => {
    const r2 = await makeRun(team, project);
    const b2 = `${project}/${r2}/artifacts`;
    for (const p of ["keep.txt", "gone.txt", "dir/x.txt", "dir/sub/y.txt", "dirx/z.txt"]) expect((await put(team.creds, `${b2}/${p}`, p)).status).toBe(200);
    expect((await api("DELETE", `${svc}/artifacts/${b2}/gone.txt`, { creds: team.creds })).status).toBe(200);
    const del = await api("DELETE", `${svc}/artifacts/${b2}/dir`, { creds: team.creds });
    expect(del.status, del.text).toBe(200);
    expect((await nativeFiles(team, r2)).map((f) => f.path)).toEqual(["dirx/z.txt", "keep.txt"]);
    expectMlflowError(await api("GET", `${svc}/artifacts/${b2}/dir/x.txt`, { creds: team.creds }), 404, "RESOURCE_DOES_NOT_EXIST");
    // The client's delete_artifacts() with no path names the root, with a trailing slash.
    expect((await api("DELETE", `${svc}/artifacts/${b2}/`, { creds: team.creds })).status).toBe(200);
    expect(await nativeFiles(team, r2)).toEqual([]);
  });

  test("a file logged natively lists and downloads through MLflow", async () => {
    const r3 = await makeRun(team, project);
    const bytes = Buffer.from("logged by the SDK");
    const entry = { path: "sdk/notes.txt", size: bytes.length, sha256: sha256(bytes) };
    const ann = await api("POST", `/api/v1/runs/${r3}/files`, { creds: team.creds, json: { files: [entry] } });
    expect(ann.status, ann.text).toBe(201);
    for (const u of ann.body.uploads) expect((await fetch(u.url, { method: "PUT", body: bytes })).status).toBe(200);
    expect((await api("POST", `/api/v1/runs/${r3}/files/commit`, { creds: team.creds, json: { paths: [entry.path] } })).status).toBe(200);
    const res = await mlflow("GET", "artifacts/list", { creds: team.creds, query: { run_id: r3, path: "sdk" } });
    expect(res.body.files).toEqual([{ path: "sdk/notes.txt", is_dir: false, file_size: bytes.length }]);
    expect((await download(team.creds, `${project}/${r3}/artifacts/sdk/notes.txt`)).equals(bytes)).toBe(true);
  });
});

describe("a logged model's files (MLflow 3)", () => {
  test("live under <experiment>/models/<model id>/artifacts, apart from the run's files", async () => {
    const made = await mlflow("POST", "logged-models", { creds: team.creds, json: { experiment_id: project, name: "clf", source_run_id: run } });
    expect(made.status, made.text).toBe(200);
    const { model_id: id, artifact_uri: uri } = made.body.model.info;
    expect(uri).toBe(`mlflow-artifacts:/${project}/models/${id}/artifacts`);
    const base = uri.slice("mlflow-artifacts:/".length);
    const bytes = randomBytes(4096);
    expect((await put(team.creds, `${base}/MLmodel`, "flavors: {}\n")).status).toBe(200);
    expect((await put(team.creds, `${base}/data/model.pkl`, bytes)).status).toBe(200);
    expect((await list(team.creds, base)).body).toEqual({ files: [{ path: "MLmodel", is_dir: false, file_size: 12 }, { path: "data", is_dir: true }] });
    expect((await download(team.creds, `${base}/data/model.pkl`)).equals(bytes)).toBe(true);
    expect((await nativeFiles(team, run)).some((f) => f.path === "MLmodel" || f.path === "data/model.pkl")).toBe(false);
    // The model belongs to its experiment and its team only.
    const elsewhere = (await makeProject(team)).id;
    expectMlflowError(await list(team.creds, `${elsewhere}/models/${id}/artifacts`), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await list((await makeTeam("ModelOutsider")).creds, base), 404, "RESOURCE_DOES_NOT_EXIST");
    expect((await api("DELETE", `${svc}/artifacts/${base}/data`, { creds: team.creds })).status).toBe(200);
    expect((await list(team.creds, base)).body).toEqual({ files: [{ path: "MLmodel", is_dir: false, file_size: 12 }] });
  });
});

describe("multipart upload through presigned part URLs", () => {
  const MiB = 1024 * 1024;
  const create = (dir: string, numParts: number) =>
    api("POST", `${svc}/mpu/create/${dir}`, { creds: team.creds, json: { path: "/home/me/out/big.bin", num_parts: numParts } });

  test("parts PUT straight to the store; completion makes <dir>/<base name> a content-addressed file", async () => {
    const bytes = randomBytes(5 * MiB + 1234);
    const made = await create(`${root}/mpu`, 2);
    expect(made.status, made.text).toBe(200);
    expect(made.body.credentials.map((c: any) => c.part_number)).toEqual([1, 2]);
    const parts = [];
    for (const [i, cred] of made.body.credentials.entries()) {
      const chunk = bytes.subarray(i * 5 * MiB, (i + 1) * 5 * MiB);
      const res = await fetch(cred.url, { method: "PUT", body: chunk, headers: cred.headers });
      expect(res.status, await res.text()).toBe(200);
      parts.push({ part_number: cred.part_number, etag: res.headers.get("etag"), url: cred.url });
    }
    const done = await api("POST", `${svc}/mpu/complete/${root}/mpu`, {
      creds: team.creds,
      json: { path: "/home/me/out/big.bin", upload_id: made.body.upload_id, parts },
    });
    expect(done.status, done.text).toBe(200);
    expect((await download(team.creds, `${root}/mpu/big.bin`)).equals(bytes)).toBe(true);
    expect((await nativeFiles(team, run)).find((f) => f.path === "mpu/big.bin")).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
  });

  test("abort drops the upload: completing it afterwards is RESOURCE_DOES_NOT_EXIST; a forged upload id is 400", async () => {
    const made = await create(`${root}/aborted`, 1);
    const cred = made.body.credentials[0];
    const res = await fetch(cred.url, { method: "PUT", body: randomBytes(1000) });
    const etag = res.headers.get("etag");
    const body = { path: "big.bin", upload_id: made.body.upload_id };
    expect((await api("POST", `${svc}/mpu/abort/${root}/aborted`, { creds: team.creds, json: body })).status).toBe(200);
    const late = await api("POST", `${svc}/mpu/complete/${root}/aborted`, { creds: team.creds, json: { ...body, parts: [{ part_number: 1, etag }] } });
    expectMlflowError(late, 404, "RESOURCE_DOES_NOT_EXIST");
    expect((await list(team.creds, `${root}/aborted`)).body).toEqual({});
    const forged = await api("POST", `${svc}/mpu/abort/${root}/aborted`, { creds: team.creds, json: { ...body, upload_id: "../../x:y" } });
    expectMlflowError(forged, 400, "INVALID_PARAMETER_VALUE", /upload_id/);
  });

  test("another team cannot complete or abort an upload, even with its id; num_parts is bounded", async () => {
    const made = await create(`${root}/theirs`, 1);
    const outsider = await makeTeam("MpuOutsider");
    const theirProject = (await makeProject(outsider)).id;
    const theirRoot = `${theirProject}/${await makeRun(outsider, theirProject)}/artifacts`;
    const body = { path: "big.bin", upload_id: made.body.upload_id, parts: [{ part_number: 1, etag: "x" }] };
    expectMlflowError(await api("POST", `${svc}/mpu/complete/${root}/theirs`, { creds: outsider.creds, json: body }), 404, "RESOURCE_DOES_NOT_EXIST");
    // Under its own run, the id names nothing of its team.
    const cross = await api("POST", `${svc}/mpu/complete/${theirRoot}`, { creds: outsider.creds, json: body });
    expect([400, 404]).toContain(cross.status);
    expectMlflowError(await create(`${root}/many`, 0), 400, "INVALID_PARAMETER_VALUE", /num_parts/);
    expectMlflowError(await create(`${root}/many`, 100_000), 400, "INVALID_PARAMETER_VALUE", /MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE/);
  });
});

describe("a file over 100 MiB through the Worker", () => {
  test("streams up in one PUT and comes back byte-exact", { timeout: 120_000 }, async () => {
    const size = 101 * 1024 * 1024 + 7;
    const block = randomBytes(1024 * 1024);
    // Generated as it is sent (each MiB stamped with its index), hashed on the way.
    const want = createHash("sha256");
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (sent >= size) return ctl.close();
        const chunk = Buffer.from(block.subarray(0, Math.min(block.length, size - sent)));
        chunk.writeUInt32BE(sent / block.length, 0);
        sent += chunk.length;
        want.update(chunk);
        ctl.enqueue(chunk);
      },
    });
    const started = Date.now();
    const res = await fetch(`${stack().url}${svc}/artifacts/${root}/huge/weights.bin`, {
      method: "PUT",
      body,
      headers: { authorization: `Bearer ${team.key}`, "content-length": String(size) },
      duplex: "half",
    } as RequestInit);
    expect(res.status, await res.text()).toBe(200);
    const digest = want.digest("hex");
    expect((await nativeFiles(team, run)).find((f) => f.path === "huge/weights.bin")).toMatchObject({ size, sha256: digest });
    const redirect = await api("GET", `${svc}/artifacts/${root}/huge/weights.bin`, { creds: team.creds });
    const got = await fetch(redirect.headers.get("location")!);
    const back = createHash("sha256");
    let n = 0;
    for await (const chunk of got.body as unknown as AsyncIterable<Uint8Array>) {
      back.update(chunk);
      n += chunk.length;
    }
    expect(n).toBe(size);
    expect(back.digest("hex")).toBe(digest);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
