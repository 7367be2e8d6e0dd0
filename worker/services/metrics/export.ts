import type { Db } from "../../lib/db";
import { seriesPoints } from "./points";
import { seriesOfRun } from "./series";
import { toJsonValue } from "./summary";

export type ExportFormat = "jsonl" | "csv";

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

// Every point of every key of the run, produced one block of chunks at a time
// as the reader pulls, so memory stays flat whatever the run's size. The
// stream owns its connection (`close`), which outlives the request's handler.
export function exportStream(db: Db, close: () => Promise<void>, teamId: string, runId: string, format: ExportFormat): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let it: AsyncGenerator<string> | undefined;
  async function* lines(): AsyncGenerator<string> {
    if (format === "csv") yield "key,step,value,timestamp\n";
    for (const s of await seriesOfRun(db, teamId, runId)) {
      const keyJson = JSON.stringify(s.key);
      const keyCsv = csvField(s.key);
      for await (const p of seriesPoints(db, teamId, s.id, 0, 2 ** 53 - 1)) {
        let out = "";
        for (let i = 0; i < p.n; i++) {
          const v = toJsonValue(p.values[i]!);
          out +=
            format === "csv"
              ? `${keyCsv},${p.steps[i]},${v},${p.times[i]}\n`
              : `{"key":${keyJson},"step":${p.steps[i]},"value":${typeof v === "string" ? `"${v}"` : v},"timestamp":${p.times[i]}}\n`;
        }
        yield out;
      }
    }
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      it ??= lines();
      try {
        const next = await it.next();
        if (next.done) {
          controller.close();
          await close();
        } else controller.enqueue(enc.encode(next.value));
      } catch (err) {
        controller.error(err);
        await close();
      }
    },
    async cancel() {
      await it?.return(undefined);
      await close();
    },
  });
}
