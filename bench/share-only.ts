// The shared report's figures alone, on a stack of their own (the full bench is long):
//   node --experimental-strip-types bench/share-only.ts
// BENCH_QUICK=1 runs the small version. Writes bench/out/share[-quick].json.
import { quick, runAlone } from "./alone.ts";
import { benchShare, describeShare } from "./share.ts";

await runAlone("share", (stack) => benchShare(stack, quick), describeShare);
