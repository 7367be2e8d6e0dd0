import type { ComponentChildren, JSX } from "preact";

// A small, safe Markdown subset for report text: headings, paragraphs, lists,
// fenced code, inline code, bold, italic, links and math ($…$, $$…$$ in a
// tiny TeX subset, see tex()). It builds Preact nodes,
// never HTML strings, so any markup in the text is shown as text; a link's
// target must be http(s) (or a same-site path), anything else stays plain text.
export function Markdown({ text }: { text: string }) {
  return <div class="md">{blocks(text)}</div>;
}

function blocks(text: string): JSX.Element[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: JSX.Element[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (/^```/.test(line)) {
      const body: string[] = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]!); i++) body.push(lines[i]!);
      i++;
      out.push(
        <pre>
          <code>{body.join("\n")}</code>
        </pre>,
      );
      continue;
    }
    if (/^\s*\$\$/.test(line)) {
      // Display math: $$…$$ on one line, or from a $$ line to the next line ending in $$.
      const body: string[] = [line.trim().slice(2)];
      if (!(body[0]!.length >= 2 && body[0]!.endsWith("$$"))) for (i++; i < lines.length && !body[body.length - 1]!.trimEnd().endsWith("$$"); i++) body.push(lines[i]!);
      i++;
      out.push(
        <div class="math display" role="math">
          {tex(body.join(" ").trimEnd().replace(/\$\$$/, ""))}
        </div>,
      );
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h) {
      const Tag = `h${h[1]!.length + 1}` as "h2";
      out.push(<Tag>{inline(h[2]!)}</Tag>);
      i++;
      continue;
    }
    const list = /^\s*([-*]|\d+\.)\s+/;
    if (list.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: JSX.Element[] = [];
      for (; i < lines.length && list.test(lines[i]!); i++) items.push(<li>{inline(lines[i]!.replace(list, ""))}</li>);
      out.push(ordered ? <ol>{items}</ol> : <ul>{items}</ul>);
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const para: string[] = [];
    for (; i < lines.length && lines[i]!.trim() && !/^(```|#{1,4}\s|\s*\$\$)/.test(lines[i]!) && !list.test(lines[i]!); i++) para.push(lines[i]!);
    out.push(<p>{inline(para.join(" "))}</p>);
  }
  return out;
}

// Only these targets become links: javascript:, data: and friends stay text.
export const safeHref = (href: string) => (/^https?:\/\//i.test(href) || /^\/(?!\/)/.test(href) ? href : null);

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*|\[([^\]]+)\]\(([^)\s]+)\)|\$(?!\s)([^$\n]+?)(?<!\s)\$/g;

function inline(s: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of s.matchAll(INLINE)) {
    if (m.index! > last) out.push(s.slice(last, m.index));
    if (m[1] !== undefined) out.push(<code>{m[1]}</code>);
    else if (m[2] !== undefined) out.push(<strong>{inline(m[2])}</strong>);
    else if (m[3] !== undefined) out.push(<em>{inline(m[3])}</em>);
    else if (m[6] !== undefined)
      out.push(
        <span class="math" role="math">
          {tex(m[6])}
        </span>,
      );
    else {
      const href = safeHref(m[5]!);
      out.push(
        href ? (
          <a href={href} target="_blank" rel="noopener noreferrer nofollow">
            {m[4]}
          </a>
        ) : (
          m[0]
        ),
      );
    }
    last = m.index! + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

// Math in a tiny TeX subset, built as nodes (never HTML): ^ and _ (one token
// or a {group}), \frac{a}{b}, \sqrt{x}, \text{…}/\mathrm{…}, Greek letters,
// common operators and function names. Anything else shows as written.
const SYM: Record<string, string> = {
  alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", zeta: "ζ", eta: "η", theta: "θ", iota: "ι", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν", xi: "ξ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ", phi: "φ", varphi: "φ", chi: "χ", psi: "ψ", omega: "ω",
  Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ", Xi: "Ξ", Pi: "Π", Sigma: "Σ", Phi: "Φ", Psi: "Ψ", Omega: "Ω",
  cdot: "·", times: "×", div: "÷", pm: "±", mp: "∓", le: "≤", leq: "≤", ge: "≥", geq: "≥", neq: "≠", ne: "≠", approx: "≈", sim: "∼", equiv: "≡", propto: "∝",
  infty: "∞", sum: "∑", prod: "∏", int: "∫", partial: "∂", nabla: "∇", in: "∈", notin: "∉", subset: "⊂", cup: "∪", cap: "∩", forall: "∀", exists: "∃",
  to: "→", rightarrow: "→", leftarrow: "←", Rightarrow: "⇒", mapsto: "↦", ldots: "…", cdots: "⋯", quad: "\u2003", ",": "\u2009", ";": "\u2005", " ": " ", "{": "{", "}": "}", "\\": " ",
};
const FUNCS = new Set(["log", "ln", "exp", "sin", "cos", "tan", "min", "max", "lim", "arg", "argmin", "argmax", "sup", "inf", "det", "Pr", "E"]);
const UPRIGHT = new Set(["text", "mathrm", "operatorname", "mathbf", "textbf"]);
type Cursor = { s: string; i: number; depth: number };

export function tex(s: string): ComponentChildren[] {
  return group({ s, i: 0, depth: 0 }, "");
}

function group(p: Cursor, end: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let text = "";
  const flush = () => text && (out.push(text), (text = ""));
  p.depth++;
  while (p.i < p.s.length) {
    const c = p.s[p.i]!;
    if (c === end) {
      p.i++;
      break;
    }
    // Deeply nested input stays text rather than recursing without bound.
    if ((c === "{" || c === "^" || c === "_" || c === "\\") && p.depth > 16) (text += c), p.i++;
    else if (c === "{") flush(), p.i++, out.push(group(p, "}"));
    else if (c === "^" || c === "_") {
      flush();
      p.i++;
      const a = atom(p);
      out.push(c === "^" ? <sup>{a}</sup> : <sub>{a}</sub>);
    } else if (c === "\\") flush(), out.push(command(p));
    else (text += c), p.i++;
  }
  p.depth--;
  flush();
  return out;
}

function atom(p: Cursor): ComponentChildren {
  while (p.s[p.i] === " ") p.i++;
  const c = p.s[p.i];
  if (c === undefined) return "";
  if (c === "{") return p.i++, group(p, "}");
  if (c === "\\") return command(p);
  p.i++;
  return c;
}

function command(p: Cursor): ComponentChildren {
  const m = /^\\([A-Za-z]+|.?)/.exec(p.s.slice(p.i, p.i + 40))!;
  p.i += m[0].length;
  const name = m[1]!;
  if (name === "frac")
    return (
      <span class="frac">
        <span>{atom(p)}</span>
        <span>{atom(p)}</span>
      </span>
    );
  if (name === "sqrt")
    return (
      <span class="sqrt">
        √<span>{atom(p)}</span>
      </span>
    );
  if (UPRIGHT.has(name)) return <span class="up">{atom(p)}</span>;
  if (FUNCS.has(name)) return <span class="up">{name}</span>;
  return SYM[name] ?? name;
}
