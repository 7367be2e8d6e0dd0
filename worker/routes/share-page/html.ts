// The dashboard's index.html with a shared report's link preview in its head:
// <title> and the Open Graph / Twitter card tags chat tools read to unfurl a link.

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => escapes[ch]!);

export type PagePreview = { title: string; description: string; url: string } | null;

// Null preview: a generic page that names no report (a bad, revoked or expired link).
export function withPreview(indexHtml: string, preview: PagePreview): string {
  const title = preview ? `${preview.title} · Sightline` : "Shared report · Sightline";
  const tags = [`<title>${escapeHtml(title)}</title>`, `<meta name="robots" content="noindex">`];
  if (preview) {
    const meta = (attr: "property" | "name", key: string, value: string) => `<meta ${attr}="${key}" content="${escapeHtml(value)}">`;
    tags.push(
      meta("property", "og:type", "article"),
      meta("property", "og:site_name", "Sightline"),
      meta("property", "og:title", preview.title),
      meta("property", "og:url", preview.url),
      meta("name", "twitter:card", "summary"),
      meta("name", "twitter:title", preview.title),
    );
    if (preview.description) {
      tags.push(meta("name", "description", preview.description), meta("property", "og:description", preview.description), meta("name", "twitter:description", preview.description));
    }
  }
  const head = tags.join("\n");
  // A function replacement, so "$&" and friends in a title stay literal.
  return /<title>[^<]*<\/title>/.test(indexHtml) ? indexHtml.replace(/<title>[^<]*<\/title>/, () => head) : indexHtml.replace("</head>", () => `${head}\n</head>`);
}
