import type { ComponentChildren, JSX } from "preact";

// A small, safe Markdown subset for report text: headings, paragraphs, lists,
// fenced code, inline code, bold, italic and links. It builds Preact nodes,
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
    for (; i < lines.length && lines[i]!.trim() && !/^(```|#{1,4}\s)/.test(lines[i]!) && !list.test(lines[i]!); i++) para.push(lines[i]!);
    out.push(<p>{inline(para.join(" "))}</p>);
  }
  return out;
}

// Only these targets become links: javascript:, data: and friends stay text.
export const safeHref = (href: string) => (/^https?:\/\//i.test(href) || /^\/(?!\/)/.test(href) ? href : null);

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

function inline(s: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of s.matchAll(INLINE)) {
    if (m.index! > last) out.push(s.slice(last, m.index));
    if (m[1] !== undefined) out.push(<code>{m[1]}</code>);
    else if (m[2] !== undefined) out.push(<strong>{inline(m[2])}</strong>);
    else if (m[3] !== undefined) out.push(<em>{inline(m[3])}</em>);
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
