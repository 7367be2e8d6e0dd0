// A one-line progress bar, redrawn in place, and only on a terminal: piped
// output (CI logs) gets the final line alone.
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let last = 0;
  return (done: number, total: number) => {
    const now = Date.now();
    const finished = done >= total;
    if (!stream.isTTY || (!finished && now - last < 100)) {
      if (finished && !stream.isTTY) stream.write(`${label}: ${human(total)} done\n`);
      return;
    }
    last = now;
    const width = 30;
    const frac = total === 0 ? 1 : done / total;
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const bar = "█".repeat(Math.round(frac * width)).padEnd(width, "░");
    stream.write(`\r${label} ${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${human(done)}/${human(total)} ${human(rate)}/s`);
    if (finished) stream.write("\n");
  };
}

export function human(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
