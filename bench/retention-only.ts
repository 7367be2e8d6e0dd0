// The retention figures alone, on a stack of their own (the full bench is long):
//   node --experimental-strip-types bench/retention-only.ts
// BENCH_QUICK=1 runs the small version (200 runs). Writes bench/out/retention[-quick].json.
import { quick, runAlone } from "./alone.ts";
import { benchRetention, describeRetention } from "./retention.ts";

await runAlone("retention", (stack, pool) => benchRetention(stack.url, pool, quick), describeRetention);
