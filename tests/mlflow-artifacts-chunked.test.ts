import { beforeAll, expect, test } from "vitest";
import { stack } from "./helpers/api";
import { makeProject, makeRun, makeTeam, type Team } from "./helpers/harness";

// The client's `requests` sends a body it cannot size (an empty file, e.g. an
// __init__.py in log_artifacts) with Transfer-Encoding: chunked and no
// Content-Length. Such bodies are taken up to 16 MiB.

let team: Team;
let root: string;

beforeAll(async () => {
  team = await makeTeam("MlflowChunked");
  const project = (await makeProject(team)).id;
  root = `${project}/${await makeRun(team, project)}/artifacts`;
});

function chunkedPut(path: string, parts: Uint8Array[]) {
  const body = new ReadableStream<Uint8Array>({
    start(ctl) {
      for (const p of parts) ctl.enqueue(p);
      ctl.close();
    },
  });
  return fetch(`${stack().url}/api/2.0/mlflow-artifacts/artifacts/${root}/${path}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${team.key}` },
    body,
    duplex: "half",
  } as RequestInit);
}

async function fetchBack(path: string): Promise<Uint8Array> {
  const res = await fetch(`${stack().url}/api/2.0/mlflow-artifacts/artifacts/${root}/${path}`, { headers: { authorization: `Bearer ${team.key}` } });
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

test("an empty body sent chunked uploads as an empty file", async () => {
  const res = await chunkedPut("pkg/__init__.py", []);
  expect(res.status, await res.text()).toBe(200);
  expect((await fetchBack("pkg/__init__.py")).length).toBe(0);
});

test("a small body sent chunked in pieces arrives whole", async () => {
  const a = new TextEncoder().encode("hello, ");
  const b = new TextEncoder().encode("chunked world");
  const res = await chunkedPut("notes/hi.txt", [a, b]);
  expect(res.status, await res.text()).toBe(200);
  expect(new TextDecoder().decode(await fetchBack("notes/hi.txt"))).toBe("hello, chunked world");
});

test("a chunked body over 16 MiB is 413 naming the limit, and nothing is listed", async () => {
  const mib = new Uint8Array(1024 * 1024);
  const res = await chunkedPut("big/too-big.bin", Array.from({ length: 17 }, () => mib));
  expect(res.status).toBe(413);
  const body = (await res.json()) as { error_code: string; message: string };
  expect(body.error_code).toBe("INVALID_PARAMETER_VALUE");
  expect(body.message).toMatch(/without Content-Length.*16777216|16777216/);
  const listed = await fetch(`${stack().url}/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`${root}/big`)}`, {
    headers: { authorization: `Bearer ${team.key}` },
  });
  expect(((await listed.json()) as { files?: unknown[] }).files ?? []).toEqual([]);
});
