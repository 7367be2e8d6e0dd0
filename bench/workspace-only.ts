// The workspace figures alone (issue 13), on a stack of their own:
//   node --experimental-strip-types bench/workspace-only.ts
// BENCH_QUICK=1 runs the small version. Writes bench/out/workspace[-quick].json.
import { quick, runAlone } from "./alone.ts";
import { benchWorkspace, describeWorkspace } from "./workspace.ts";

await runAlone("workspace", (stack) => benchWorkspace(stack, quick), describeWorkspace);
