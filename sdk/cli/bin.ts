#!/usr/bin/env node
// The `sightline` command (package.json "bin" points at its build,
// sdk/dist/cli/bin.js). Kept apart from index.ts so importing main() runs nothing.
import { main } from "./index.ts";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`sightline: ${err.message}`);
    process.exit(1);
  },
);
