import { init, type Run } from "../../../sdk/index.ts";

// Runs logged the way users log them: through the SDK, with its batching.
export async function startRun(baseUrl: string, apiKey: string, project: string, name: string, config: Record<string, unknown>, tags: string[] = []): Promise<Run> {
  return init({ project, name, config, tags, baseUrl, apiKey, batch: { intervalMs: 100 }, heartbeatSeconds: 2, exitHooks: false, onError: (e) => console.error(`sdk: ${e.message}`) });
}

// A loss curve with noise and one spike, so the band and the zoom have something to show.
export function logCurve(run: Run, from: number, to: number, seed: number) {
  for (let step = from; step < to; step++) {
    const noise = Math.sin(step * 12.9898 + seed) * 0.05;
    const loss = 2 / Math.sqrt(1 + step / (20 + seed * 10)) + noise + (step === 1234 ? 3 : 0);
    run.log({ loss, acc: 1 - loss / 3, "train/lr": 0.01 * 0.999 ** step }, { step });
  }
}
