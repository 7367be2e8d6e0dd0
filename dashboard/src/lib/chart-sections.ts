// Panels grouped into sections by key prefix, as W&B's workspace does:
// "train/loss" goes to "train", a key without a slash to "Charts". The order
// is stable whatever order keys arrive in: Charts first, then the prefixes
// alphabetically, system metrics last.
export const DEFAULT_SECTION = "Charts";
export const SYSTEM_SECTION = "system";

export const sectionOf = (key: string) => {
  const i = key.indexOf("/");
  return i > 0 ? key.slice(0, i) : DEFAULT_SECTION;
};

export type Section = { name: string; keys: string[] };

const rank = (name: string) => (name === DEFAULT_SECTION ? 0 : name === SYSTEM_SECTION ? 2 : 1);

export function groupSections(keys: string[]): Section[] {
  const by = new Map<string, string[]>();
  for (const k of [...keys].sort()) {
    const s = sectionOf(k);
    by.set(s, [...(by.get(s) ?? []), k]);
  }
  return [...by.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, keys]) => ({ name, keys }));
}

// "system" reads as "System" in the page; other prefixes are shown as logged.
export const sectionTitle = (name: string) => (name === SYSTEM_SECTION ? "System" : name);
