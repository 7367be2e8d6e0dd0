import type { Page } from "playwright-core";

// One pass over a rendered page, inside the page:
// - unnamed: interactive elements with no accessible name (aria-label,
//   aria-labelledby, a <label>, text, title, alt, or an input's placeholder)
//   or whose name has no letter or digit;
// - overflow: visible elements whose box ends right of the viewport, unless an
//   ancestor scrolls or clips them (a table in a scroll box is fine);
// - lowContrast: text under WCAG AA (4.5:1, or 3:1 for large text) against
//   the first opaque background behind it.
export type PageAudit = { unnamed: string[]; overflow: string[]; lowContrast: string[]; pageWidth: number };

export async function auditPage(page: Page, opts: { width: number; checkContrast: boolean }): Promise<PageAudit> {
  return page.evaluate(({ width, checkContrast }) => {
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : "";
      const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).slice(0, 2).join(".")}` : "";
      const testid = el.getAttribute("data-testid") ? `[data-testid=${el.getAttribute("data-testid")}]` : "";
      const text = (el.textContent ?? "").trim().slice(0, 30);
      return `<${el.tagName.toLowerCase()}${id}${cls}${testid}>${text ? ` "${text}"` : ""}`;
    };
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return false;
      const s = getComputedStyle(el);
      return s.visibility !== "hidden" && s.display !== "none" && Number(s.opacity) > 0;
    };

    const nameOf = (el: Element): string => {
      const aria = el.getAttribute("aria-label");
      if (aria?.trim()) return aria;
      const by = el.getAttribute("aria-labelledby");
      if (by) {
        const t = by
          .split(/\s+/)
          .map((i) => document.getElementById(i)?.textContent ?? "")
          .join(" ")
          .trim();
        if (t) return t;
      }
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
        const labels = el.labels ? [...el.labels].map((l) => l.textContent ?? "").join(" ").trim() : "";
        if (labels) return labels;
        if (el instanceof HTMLInputElement && ["submit", "button", "reset"].includes(el.type) && el.value) return el.value;
        if ("placeholder" in el && el.placeholder) return el.placeholder;
      }
      const text = (el.textContent ?? "").trim();
      if (text) return text;
      const img = el.querySelector("img[alt], svg[aria-label], [aria-label]");
      if (img) return img.getAttribute("alt") || img.getAttribute("aria-label") || "";
      return el.getAttribute("title") ?? "";
    };
    const interactive = [
      ...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=tab], [role=checkbox], [role=slider], [tabindex]:not([tabindex='-1'])"),
    ];
    // A name must say something: "↻" or "×" alone is read out as a symbol.
    const unnamed = interactive.filter((el) => visible(el) && !/[\p{L}\p{N}]/u.test(nameOf(el))).map(describe);

    // Overflow: a box past the right edge that no ancestor scrolls or clips.
    // A scrolling ancestor makes it reachable; a clipping one hides it, which
    // is fine for text cut with an ellipsis but not for a control.
    const isControl = (el: Element) => el.matches("a[href], button, input, select, textarea, [role=button], [tabindex]:not([tabindex='-1'])");
    const clipped = (el: Element) => {
      const right = el.getBoundingClientRect().right;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === "auto" || ox === "scroll") return true;
        if ((ox === "hidden" || ox === "clip") && right > p.getBoundingClientRect().right + 1) return !isControl(el);
      }
      return false;
    };
    const overflow: string[] = [];
    const flagged = new Set<Element>();
    for (const el of document.body.querySelectorAll("*")) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right <= width + 2 || clipped(el)) continue;
      if (el.parentElement && flagged.has(el.parentElement)) {
        flagged.add(el);
        continue;
      }
      flagged.add(el);
      overflow.push(`${describe(el)} right=${Math.round(r.right)}`);
    }

    // Contrast, WCAG 2.x relative luminance.
    const lowContrast: string[] = [];
    if (checkContrast) {
      const parse = (c: string): [number, number, number, number] | null => {
        const m = c.match(/rgba?\(([^)]+)\)/);
        if (!m) return null;
        const p = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
        return [p[0]!, p[1]!, p[2]!, p.length > 3 ? p[3]! : 1];
      };
      const lum = ([r, g, b]: number[]) => {
        const f = (v: number) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      const behind = (el: Element): [number, number, number] | null => {
        for (let p: Element | null = el; p; p = p.parentElement) {
          const s = getComputedStyle(p);
          if (s.backgroundImage !== "none") return null; // gradients and images: not judged
          const bg = parse(s.backgroundColor);
          if (bg && bg[3] >= 0.99) return [bg[0], bg[1], bg[2]];
          if (bg && bg[3] > 0.05) return null; // translucent layers: not judged
        }
        const root = parse(getComputedStyle(document.documentElement).backgroundColor);
        return root && root[3] > 0.5 ? [root[0], root[1], root[2]] : [255, 255, 255];
      };
      const seen = new Set<string>();
      for (const el of document.body.querySelectorAll("*")) {
        if (!visible(el) || el.closest("[aria-hidden=true], svg, canvas, .u-legend, [disabled]")) continue;
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent ?? "").trim());
        if (!own) continue;
        const s = getComputedStyle(el);
        const fg = parse(s.color);
        const bg = behind(el);
        if (!fg || !bg) continue;
        const alpha = fg[3] * Number(s.opacity);
        const mixed = [0, 1, 2].map((i) => fg[i]! * alpha + bg[i]! * (1 - alpha));
        const [a, b] = [lum(mixed), lum(bg)];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        const size = parseFloat(s.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) {
          const d = `${describe(el)} ${ratio.toFixed(2)}:1 (${s.color} on rgb(${bg.join(",")}))`;
          const k = `${el.tagName}${el.className}${s.color}${bg.join()}`;
          if (!seen.has(k)) lowContrast.push(d);
          seen.add(k);
        }
      }
    }
    return { unnamed, overflow, lowContrast, pageWidth: document.documentElement.scrollWidth };
  }, opts);
}
