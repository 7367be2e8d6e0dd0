import { seriesPoints } from "./points";
import { seriesOfRun } from "./series";
import type { HeldSnapshot } from "./sql";
import { toJsonValue } from "./summary";

export type ExportFormat = "jsonl" | "csv";

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

// Every point of every key of the run, produced one block of chunks at a time
// as the reader pulls, so memory stays flat whatever the run's size. Every
// block is read in the one snapshot the stream owns, so compaction meanwhile
// can neither hide nor outdate a point; the stream ends the snapshot (and
// frees the connection) when it finishes, fails or the client goes away.
export function exportStream(snap: HeldSnapshot, teamId: string, runId: string, format: ExportFormat): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let it: AsyncGenerator<string> | undefined;
  async function* lines(): AsyncGenerator<string> {
    if (format === "csv") yield "key,step,value,timestamp\n";
    for (const s of await seriesOfRun(snap.tx, teamId, runId)) {
      const keyJson = JSON.stringify(s.key);
      const keyCsv = csvField(s.key);
      for await (const p of seriesPoints(snap.tx, teamId, s.id, 0, 2 ** 53 - 1)) {
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
          await snap.end();
        } else controller.enqueue(enc.encode(next.value));
      } catch (err) {
        controller.error(err);
        await snap.end();
      }
    },
    async cancel() {
      await it?.return(undefined);
      await snap.end();
    },
  });
}
