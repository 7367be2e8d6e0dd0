// Builds the dashboard into dashboard/dist (placeholder until the SPA lands).
import { cpSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

export async function buildDashboard() {
  mkdirSync(`${here}dist`, { recursive: true });
  cpSync(`${here}src/index.html`, `${here}dist/index.html`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildDashboard();
