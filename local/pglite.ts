// The embedded Postgres for `npm start` on a machine with no database server:
// PGlite persisted under the data folder, served on a local TCP port.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number }) {
  const db = await PGlite.create(opts.dataDir);
  // Port 0: never the 5432 a real server may already hold.
  // An idle timeout reaps connections a crashed client never closed, since the
  // single PGlite backend is shared by all of them.
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: opts.port ?? 0,
    maxConnections: 16,
    idleTimeout: 60_000,
  });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    host: "127.0.0.1",
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
