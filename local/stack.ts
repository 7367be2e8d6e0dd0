// The whole product on one machine: Postgres (a server given by URL, or an
// embedded real PostgreSQL from npm), the WebSocket relay the Neon driver needs, a local S3-compatible
// store that checks signatures, and the Worker in workerd. Used by `npm start`,
// the tests and the benchmarks alike.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase, dropDatabase, migrateDatabase, serverVersion, useRelay } from "./migrate.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { startRelay } from "./relay.ts";
import { startS3Store } from "./s3/server.ts";
import { loadOrCreateSecrets } from "./secrets.ts";
import { startWranglerDev } from "./wrangler-dev.ts";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const BUCKET = "sightline-artifacts";

export type StackOptions = {
  dataDir: string;
  // A Postgres server to use; without one, an embedded server under dataDir/pg.
  databaseUrl?: string;
  // Make a fresh database on the server and drop it on stop.
  freshDatabase?: string;
  // The embedded cluster is thrown away afterwards (tests): no fsync.
  disposable?: boolean;
  port?: number;
  s3Port?: number;
  appEnv: "development" | "test";
  vars?: Record<string, string>;
  log?: (line: string) => void;
};

export type Stack = {
  url: string;
  databaseUrl: string;
  // The server's own URL (its `postgres` database), for tooling that needs it.
  serverUrl: string;
  postgresVersion: string;
  wsProxy: string;
  s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; region: string };
  stop(): Promise<void>;
};

export async function startStack(opts: StackOptions): Promise<Stack> {
  const log = opts.log ?? (() => {});
  mkdirSync(opts.dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => log(`stop: ${String(e)}`));
  };
  try {
    let serverUrl: string;
    if (opts.databaseUrl) {
      serverUrl = opts.databaseUrl;
    } else {
      const pg = await startEmbeddedPostgres({ dataDir: join(opts.dataDir, "pg"), disposable: opts.disposable, log });
      stops.push(pg.stop);
      serverUrl = pg.url;
      log(`embedded PostgreSQL ${pg.version} on 127.0.0.1:${pg.port}`);
    }
    const u = new URL(serverUrl);
    const relay = await startRelay({ target: { host: u.hostname, port: Number(u.port || 5432) } });
    stops.push(relay.stop);
    useRelay(relay.wsProxy);
    let databaseUrl = serverUrl;
    if (opts.freshDatabase) {
      const name = opts.freshDatabase;
      databaseUrl = await createDatabase(serverUrl, name);
      stops.push(() => dropDatabase(serverUrl, name));
    }
    await migrateDatabase(databaseUrl);
    const postgresVersion = await serverVersion(databaseUrl);
    log(`migrations applied (PostgreSQL ${postgresVersion})`);

    const secrets = loadOrCreateSecrets(opts.dataDir);
    const region = "us-east-1";
    const s3 = await startS3Store({
      dataDir: join(opts.dataDir, "s3"),
      port: opts.s3Port ?? 0,
      credentials: [{ accessKeyId: secrets.s3AccessKeyId, secretAccessKey: secrets.s3SecretAccessKey }],
      region,
      buckets: [BUCKET],
      corsOrigins: ["*"],
    });
    stops.push(s3.stop);
    log(`S3-compatible store on ${s3.endpoint}`);

    const worker = await startWranglerDev({
      root,
      port: opts.port,
      persistDir: join(opts.dataDir, "wrangler"),
      log,
      vars: {
        APP_ENV: opts.appEnv,
        DATABASE_URL: databaseUrl,
        NEON_WS_PROXY: relay.wsProxy,
        JWT_KEYS: secrets.jwtKeys,
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: region,
        S3_BUCKET: BUCKET,
        S3_ACCESS_KEY_ID: secrets.s3AccessKeyId,
        S3_SECRET_ACCESS_KEY: secrets.s3SecretAccessKey,
        ...opts.vars,
      },
    });
    stops.push(worker.stop);
    return {
      url: worker.url,
      databaseUrl,
      serverUrl,
      postgresVersion,
      wsProxy: relay.wsProxy,
      s3: {
        endpoint: s3.endpoint,
        bucket: BUCKET,
        accessKeyId: secrets.s3AccessKeyId,
        secretAccessKey: secrets.s3SecretAccessKey,
        region,
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
