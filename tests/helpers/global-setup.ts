import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startStack } from "../../local/stack.ts";

export type TestStack = {
  url: string;
  jwtKeys: string;
  databaseUrl: string;
  serverUrl: string;
  postgresVersion: string;
  wsProxy: string;
  s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; region: string };
};

declare module "vitest" {
  export interface ProvidedContext {
    stack: TestStack;
  }
}

// Short enough that a test can watch a revocation made behind the cache's back
// take effect; production allows up to 60 s.
export const TEST_KEY_CACHE_TTL_SECONDS = 2;

// One stack for the whole run: the real Worker in workerd, real Postgres through
// the Neon driver and relay (TEST_DATABASE_URL's server, or else an embedded
// PostgreSQL made for this run; a fresh database either way, dropped after), and
// the signature-checking S3 store.
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), "sightline-test-"));
  const serverUrl = process.env.TEST_DATABASE_URL;
  const stack = await startStack({
    dataDir,
    databaseUrl: serverUrl,
    freshDatabase: `sightline_test_${process.pid}_${Date.now().toString(36)}`,
    disposable: true,
    appEnv: "test",
    vars: { KEY_CACHE_TTL_SECONDS: String(TEST_KEY_CACHE_TTL_SECONDS) },
    log: (line) => {
      if (process.env.SIGHTLINE_TEST_LOG) console.log(`[stack] ${line}`);
    },
  });
  const { readFileSync } = await import("node:fs");
  const secrets = JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as { jwtKeys: string };
  project.provide("stack", {
    url: stack.url,
    jwtKeys: secrets.jwtKeys,
    databaseUrl: stack.databaseUrl,
    serverUrl: stack.serverUrl,
    postgresVersion: stack.postgresVersion,
    wsProxy: stack.wsProxy,
    s3: stack.s3,
  });
  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
