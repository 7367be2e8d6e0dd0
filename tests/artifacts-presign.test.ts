// Presigned URLs are checked by the local store's own SigV4 verifier (s3rver
// checks nothing), so these prove what R2 would refuse.
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { expect, test } from "vitest";
import { api, stack } from "./helpers/api";
import { makeProject, makeTeam } from "./helpers/harness";
import { putVersion, sha256 } from "./helpers/routes/artifacts";

async function status(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, code: /<Code>(.*?)<\/Code>/.exec(text)?.[1], text };
}

async function fileUrl(team: Awaited<ReturnType<typeof makeTeam>>, project: string, name: string) {
  const res = await api("GET", `/api/v1/projects/${project}/artifacts/${name}/versions/latest`, { creds: team.creds });
  expect(res.status, res.text).toBe(200);
  return res.body.files[0].url as string;
}

test("an edited presigned URL is refused: path, other team's copy, method, expiry, signature", async () => {
  const a = await makeTeam();
  const b = await makeTeam();
  const [pa, pb] = [await makeProject(a), await makeProject(b)];
  const bytes = Buffer.from("team a's weights");
  await putVersion(a, pa.id, "w", { "w.bin": bytes });
  await putVersion(a, pa.id, "other", { "o.bin": Buffer.from("another object") });
  // Team B stores the very same bytes, so only the team prefix tells the keys apart.
  await putVersion(b, pb.id, "w", { "w.bin": bytes });
  const url = await fileUrl(a, pa.id, "w");
  const u = new URL(url);
  expect(u.pathname).toBe(`/${stack().s3.bucket}/t/${a.id}/sha256/${sha256(bytes)}`);
  expect(Number(u.searchParams.get("X-Amz-Expires"))).toBeLessThanOrEqual(900);
  expect((await status(url)).status).toBe(200);

  const edit = (f: (x: URL) => void) => {
    const x = new URL(url);
    f(x);
    return x.toString();
  };
  const refused = async (target: string, init?: RequestInit) => {
    const r = await status(target, init);
    expect(r.status, r.text).toBe(403);
    expect(r.text).not.toContain("team a's weights");
  };
  await refused(edit((x) => (x.pathname = x.pathname.replace(a.id, b.id))));
  await refused(edit((x) => (x.pathname = x.pathname.replace(sha256(bytes), sha256("another object")))));
  await refused(url, { method: "PUT", body: "overwrite" });
  await refused(url, { method: "DELETE" });
  await refused(edit((x) => x.searchParams.set("X-Amz-Expires", "604000")));
  await refused(edit((x) => x.searchParams.set("X-Amz-Date", "20200101T000000Z")));
  const sig = u.searchParams.get("X-Amz-Signature")!;
  await refused(edit((x) => x.searchParams.set("X-Amz-Signature", (sig[0] === "a" ? "b" : "a") + sig.slice(1))));
  expect((await status(url)).status).toBe(200);

  // An upload URL is just as narrow: it writes one key, by PUT, and nothing else.
  const ann = await api("POST", `/api/v1/projects/${pa.id}/artifacts/w2/versions`, {
    creds: a.creds,
    json: { type: "dataset", files: [{ path: "n.bin", size: 3, sha256: sha256("new") }] },
  });
  const put = ann.body.uploads[0].url as string;
  await refused(put, { method: "GET" });
  await refused(put.replace(a.id, b.id), { method: "PUT", body: "new" });
  expect((await status(put, { method: "PUT", body: "new" })).status).toBe(200);
});

test("an expired URL is refused by the store", async () => {
  const s = stack().s3;
  const client = new S3Client({
    endpoint: s.endpoint, region: s.region, forcePathStyle: true,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
  });
  const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: s.bucket, Key: "t/none/sha256/0" }), { expiresIn: 1 });
  await new Promise((r) => setTimeout(r, 2100));
  const r = await status(url);
  expect(r.status).toBe(403);
  expect(r.text).toContain("expired");
});
