// The whole product on one machine: Postgres (a real server, or embedded
// PGlite), the WebSocket relay the Neon driver needs, a local S3-compatible
// store that checks signatures, and the Worker in workerd. Used by `npm start`,
// the tests and the benchmarks alike.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase, dropDatabase, migrateDatabase, useRelay } from "./migrate.ts";
import { startEmbeddedPostgres } from "./pglite.ts";
import { startRelay } from "./relay.ts";
import { startS3Store } from "./s3/server.ts";
import { loadOrCreateSecrets } from "./secrets.ts";
import { startWranglerDev } from "./wrangler-dev.ts";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const BUCKET = "sightline-artifacts";

export type StackOptions = {
  dataDir: string;
  // A real Postgres server; without one, an embedded PGlite under dataDir.
  databaseUrl?: string;
  // With databaseUrl: make a fresh database on that server and drop it on stop.
  freshDatabase?: string;
  port?: number;
  s3Port?: number;
  appEnv: "development" | "test";
  vars?: Record<string, string>;
  log?: (line: string) => void;
};

export type Stack = {
  url: string;
  databaseUrl: string;
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
    let databaseUrl: string;
    let target: { host: string; port: number };
    if (opts.databaseUrl) {
      const u = new URL(opts.databaseUrl);
      target = { host: u.hostname, port: Number(u.port || 5432) };
      databaseUrl = opts.databaseUrl;
    } else {
      const pg = await startEmbeddedPostgres({ dataDir: join(opts.dataDir, "pg") });
      stops.push(pg.stop);
      target = { host: pg.host, port: pg.port };
      databaseUrl = pg.url;
      log(`embedded Postgres (PGlite) on 127.0.0.1:${pg.port}`);
    }
    const relay = await startRelay({ target, exclusive: !opts.databaseUrl });
    stops.push(relay.stop);
    useRelay(relay.wsProxy);
    if (opts.freshDatabase && opts.databaseUrl) {
      const name = opts.freshDatabase;
      databaseUrl = await createDatabase(opts.databaseUrl, name);
      stops.push(() => dropDatabase(opts.databaseUrl!, name));
    }
    await migrateDatabase(databaseUrl);
    log("migrations applied");

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
