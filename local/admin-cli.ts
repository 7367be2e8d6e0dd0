// `npm run admin -- <verb> …`: the operator's tool for plans and per-team
// overrides. It talks to the database, never to the public API, so no API
// credential can change a plan. DATABASE_URL names the database; without it,
// the embedded cluster `npm start` keeps under SIGHTLINE_DATA_DIR (.sightline).
// The Worker caches a team's limits for 10 s, so a change reaches it within 10 s.
import { Pool } from "@neondatabase/serverless";
import { existsSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AdminError, listTeams, parseOverrides, setOverrides, setPlan, showTeam } from "./admin.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { useNeonDirect, useRelay } from "./migrate.ts";
import { startRelay } from "./relay.ts";

const usage = `usage: npm run admin -- <command>
  teams [--json]                         list teams (id, name, plan, members, deleting)
  show <team id|name>                    plan, overrides, effective limits, usage this month
  plan <team> <free|team|enterprise>     set a team's plan
  override <team> <limit>=<n>|<limit>=unset …   set or clear per-team limits
Connects to DATABASE_URL, else to the embedded database of npm start.`;

const fail = (message: string, code = 1): never => {
  console.error(`admin: ${message}`);
  process.exit(code);
};

// Who did it, for the audit log.
const operator = process.env.SIGHTLINE_OPERATOR ?? (() => {
  try {
    return userInfo().username || "operator";
  } catch {
    return "operator";
  }
})();

type Connection = { url: string; close: () => Promise<void> };

async function connect(): Promise<Connection> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  let url = process.env.DATABASE_URL;
  if (!url) {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const pgDir = join(process.env.SIGHTLINE_DATA_DIR ?? join(root, ".sightline"), "pg");
    const pid = join(pgDir, "postmaster.pid");
    if (existsSync(pid)) {
      // npm start is running: its server's port is line 4 of postmaster.pid.
      const port = Number(readFileSync(pid, "utf8").split("\n")[3]);
      if (!Number.isInteger(port) || port <= 0) fail(`cannot read the port from ${pid}; set DATABASE_URL`);
      url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    } else if (existsSync(join(pgDir, "PG_VERSION"))) {
      // Not running: start the same cluster for the length of this command.
      const pg = await startEmbeddedPostgres({ dataDir: pgDir });
      closers.push(pg.stop);
      url = pg.url;
    } else {
      fail(`no database: set DATABASE_URL, or run npm start once (no cluster in ${pgDir})`, 2);
    }
  }
  let u: URL;
  try {
    u = new URL(url!);
  } catch {
    return fail("DATABASE_URL is not a postgres:// URL", 2);
  }
  // A local server is reached through the relay, like migrate-cli; Neon directly.
  if (["127.0.0.1", "localhost", "::1", "[::1]"].includes(u.hostname)) {
    const relay = await startRelay({ target: { host: u.hostname, port: Number(u.port || 5432) } });
    closers.push(relay.stop);
    useRelay(relay.wsProxy);
  } else {
    useNeonDirect();
  }
  return { url: url!, close };
}

const print = (v: unknown) => console.log(JSON.stringify(v, null, 2));

async function main(argv: string[]) {
  const [verb, ...args] = argv;
  if (!verb || verb === "help" || verb === "--help" || verb === "-h") {
    console.log(usage);
    return;
  }
  const arity: Record<string, [number, number]> = { teams: [0, 1], show: [1, 1], plan: [2, 2], override: [2, Infinity] };
  const want = arity[verb];
  if (!want) fail(`unknown command "${verb}"\n${usage}`);
  if (args.length < want![0] || args.length > want![1]) fail(`${verb}: wrong number of arguments\n${usage}`);
  // Checked before connecting: bad input never waits on a database.
  const changes = verb === "override" ? parseOverrides(args.slice(1)) : null;

  const conn = await connect();
  const pool = new Pool({ connectionString: conn.url, max: 1 });
  try {
    if (verb === "teams") {
      const teams = await listTeams(pool);
      if (args.includes("--json") || !process.stdout.isTTY) print(teams);
      else console.table(teams);
    } else if (verb === "show") {
      print(await showTeam(pool, args[0]!));
    } else {
      const client = await pool.connect();
      try {
        const r = verb === "plan" ? await setPlan(client, args[0]!, args[1]!, operator) : await setOverrides(client, args[0]!, changes!, operator);
        print({ team: { id: r.team.id, name: r.team.name }, from: r.from, to: r.to, note: "the Worker picks this up within 10 s" });
      } finally {
        client.release();
      }
    }
  } finally {
    await pool.end();
    await conn.close();
  }
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof AdminError) fail(e.message);
  fail(`failed: ${(e as Error)?.message ?? String(e)}`);
}
