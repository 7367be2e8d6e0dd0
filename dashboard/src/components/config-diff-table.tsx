import { runColor } from "../lib/colors";
import { configAt, fmtValue } from "../lib/format";
import type { Run } from "../lib/types";

// The config keys that differ between runs, a column per run (compare page
// and a report's comparison block).
export function ConfigDiffTable({ runs, keys, corner, class: cls, testid }: { runs: Run[]; keys: string[]; corner: string; class: string; testid: string }) {
  return (
    <table class={cls} data-testid={testid}>
      <thead>
        <tr>
          <th>{corner}</th>
          {runs.map((r) => (
            <th class="num">
              <span class="swatch" aria-hidden="true" style={{ background: runColor(r.id) }} />
              {r.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr>
            <th>{k}</th>
            {runs.map((r) => (
              <td class="num">{fmtValue(configAt(r.config, k))}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
