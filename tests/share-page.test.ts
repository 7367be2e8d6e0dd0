// The share page over plain HTTP, as a chat tool's unfurler sees it: a live
// link's page names its report (title, first words) in <title> and Open Graph
// tags, escaped; a revoked, expired, tampered or unknown link's page names
// nothing. Share pages may be framed; every other page and the API may not.
import { beforeAll, describe, expect, test } from "vitest";
import { api, stack, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeTeam, type Team } from "./helpers/harness";

const HOSTILE_TITLE = `</title><script>alert(1)</script> "quoted" & 'single'`;
const TEXT = `## Findings\n\nAdam *beats* SGD by <b>3%</b> — see [the runs](https://example.com/x?a=1&b=2) "here".\n\n${"More words follow. ".repeat(30)}`;

let team: Team;
let reportId: string;

async function share(report = reportId) {
  const res = await api("POST", `/api/v1/reports/${report}/share-links`, { creds: team.creds, json: {} });
  expect(res.status, res.text).toBe(201);
  return res.body as { link: { id: string }; token: string; url: string };
}

// The page as a crawler fetches it: no cookie, no token header, just the URL.
async function page(path: string) {
  const res = await fetch(`${stack().url}${path}`, { redirect: "manual" });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

const metas = (html: string) =>
  Object.fromEntries([...html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

beforeAll(async () => {
  team = await makeTeam("OG");
  const run = (await api("POST", `/api/v1/projects/og-${uniq()}/runs`, { creds: team.creds, json: { name: "r" } })).body.run.id;
  const created = await api("POST", `/api/v1/projects/${(await api("GET", `/api/v1/runs/${run}`, { creds: team.creds })).body.run.project_id}/reports`, {
    creds: team.creds,
    json: {
      title: HOSTILE_TITLE,
      blocks: [
        { type: "chart", id: "c1", runs: [run], keys: ["loss"] },
        { type: "markdown", id: "m0", text: "   " },
        { type: "markdown", id: "m1", text: TEXT },
      ],
    },
  });
  expect(created.status, created.text).toBe(201);
  reportId = created.body.report.id;
});

describe("Open Graph on /share/<token>", () => {
  test("a live link's page carries the report's title and first words, escaped, and is not cached", async () => {
    const { url, token } = await share();
    const p = await page(`/share/${token}`);
    expect(p.status).toBe(200);
    expect(p.headers.get("content-type")).toMatch(/^text\/html/);
    expect(p.headers.get("cache-control")).toBe("no-store");
    // The SPA shell is intact (its script and mount point), so the page still works.
    expect(p.html).toContain('<div id="app">');
    expect(p.html).toMatch(/<script type="module" src="\/assets\//);
    // Escaped: the hostile title never closes the <title> nor opens a script.
    expect(p.html).not.toContain("<script>alert(1)</script>");
    expect(p.html.match(/<\/title>/g)).toHaveLength(1);
    expect(titleOf(p.html)).toBe("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39; · Sightline");
    const m = metas(p.html);
    expect(m["og:title"]).toBe("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;");
    expect(m["og:type"]).toBe("article");
    expect(m["og:url"]).toBe(url);
    expect(m["twitter:card"]).toBe("summary");
    // The first text block with words, as plain text: no markup, no link targets, ≤ 200 characters.
    const desc = m["og:description"]!;
    expect(desc.startsWith("Findings Adam beats SGD by 3% — see the runs &quot;here&quot;. More words follow.")).toBe(true);
    expect(desc).not.toMatch(/[<>*#]|example\.com/);
    const plain = desc.replace(/&quot;/g, '"');
    expect(plain.length).toBeLessThanOrEqual(200);
    expect(plain.endsWith("…")).toBe(true);
    expect(m["twitter:description"]).toBe(desc);
    // The embed of a panel previews the same report.
    const e = await page(`/share/${token}/embed/c1`);
    expect(e.status).toBe(200);
    expect(metas(e.html)["og:title"]).toBe(m["og:title"]);
  });

  test("revoked, expired, tampered and unknown links get a generic page naming nothing", async () => {
    const revoked = await share();
    expect((await api("DELETE", `/api/v1/share-links/${revoked.link.id}`, { creds: team.creds })).status).toBeLessThan(300);
    const expired = await share();
    await sql("update share_links set expires_at = now() - interval '1 second' where id = $1", [expired.link.id]);
    const live = await share();
    const last = live.token.at(-1) === "a" ? "b" : "a";
    const tampered = live.token.slice(0, -1) + last;
    const unknown = `shr_${"x".repeat(20)}_${"y".repeat(40)}`;
    for (const token of [revoked.token, expired.token, tampered, unknown, "not-a-token", `${live.token}x`]) {
      for (const path of [`/share/${encodeURIComponent(token)}`, `/share/${encodeURIComponent(token)}/embed/c1`]) {
        const p = await page(path);
        expect(p.status, path).toBe(404);
        expect(p.headers.get("cache-control")).toBe("no-store");
        expect(p.html).toContain('<div id="app">');
        expect(titleOf(p.html)).toBe("Shared report · Sightline");
        expect(p.html).not.toContain("og:");
        expect(p.html).not.toMatch(/alert|Findings|quoted/);
      }
    }
    // The live link still previews (tampering one character broke only the copy).
    expect(metas((await page(`/share/${live.token}`)).html)["og:title"]).toContain("alert(1)");
  });
});

describe("who may frame what", () => {
  test("share pages may be framed by any site; the dashboard and the API may not", async () => {
    const { token } = await share();
    for (const path of [`/share/${token}`, `/share/${token}/embed/c1`, "/share/bad"]) {
      const p = await page(path);
      expect(p.headers.get("content-security-policy"), path).toBe("frame-ancestors *");
      expect(p.headers.get("x-frame-options"), path).toBeNull();
    }
    for (const path of ["/projects", "/", "/reports/rep_x", "/settings/keys", "/api/v1/me", "/api/openapi.json", "/api/v1/nope"]) {
      const p = await page(path);
      expect(p.headers.get("content-security-policy"), path).toBe("frame-ancestors 'none'");
      expect(p.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });
});
