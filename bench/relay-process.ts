// The relay in a process of its own, so the bench can count its CPU apart from
// the bench client's: `node bench/relay-process.ts <host> <port>` prints the
// relay's port as one JSON line, then serves until killed.
import { startRelay } from "../local/relay.ts";

const [host, port] = process.argv.slice(2);
const relay = await startRelay({ target: { host: host!, port: Number(port) } });
process.stdout.write(`${JSON.stringify({ port: relay.port, wsProxy: relay.wsProxy })}\n`);
process.on("SIGTERM", () => void relay.stop().then(() => process.exit(0)));
