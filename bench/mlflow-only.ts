// The MLflow figures alone, on a stack of their own (the full bench is long):
//   node --experimental-strip-types bench/mlflow-only.ts
// BENCH_QUICK=1 runs the small version. Writes bench/out/mlflow[-quick].json.
import { quick, runAlone } from "./alone.ts";
import { signUp } from "./api.ts";
import { benchMlflow, describeMlflow } from "./mlflow.ts";

await runAlone("mlflow", async (stack) => benchMlflow(await signUp(stack.url), quick, stack.relayPid), describeMlflow);
