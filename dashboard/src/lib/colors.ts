// A run keeps its colour wherever it is drawn (run page, compare, workspace,
// reports): the colour follows from the run id, not from its place in a list.
// A fixed palette of ten gives two runs of a ten-run set the very same colour
// almost always; here the id picks a hue on the whole circle and one of three
// lightness levels, so two runs rarely share a colour and runs of close hue
// mostly differ in lightness. Saturation and lightness are kept where lines
// read on both the light and the dark theme. Six-digit hex, so callers may
// append an alpha byte.
const LIGHTNESS = [0.42, 0.52, 0.62];

export function runColor(runId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) h = Math.imul(h ^ runId.charCodeAt(i), 0x01000193);
  h >>>= 0;
  const hue = (h % 3600) / 10;
  const light = LIGHTNESS[Math.floor(h / 3600) % LIGHTNESS.length]!;
  return hslHex(hue, 0.68, light);
}

function hslHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}
