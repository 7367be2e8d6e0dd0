import { useEffect } from "preact/hooks";

// Tab titles read most specific first and end with the app's name:
// "<run> · <project> · Sightline", "Compare 3 runs · <project> · Sightline".
export const APP_NAME = "Sightline";

export function titleOf(...parts: (string | null | undefined | false)[]): string {
  return [...parts.filter((p): p is string => !!p), APP_NAME].join(" · ");
}

// Sets the tab title once the page knows its first part (its own name); the
// router's default title stands until then. Empty parts are left out.
export function useTitle(...parts: (string | null | undefined | false)[]) {
  const title = parts[0] ? titleOf(...parts) : null;
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);
}
