import { useRef } from "preact/hooks";

// Pointer moves arrive faster than frames: keep the last, handle it once per
// frame. `flush` handles a pending move at once (on pointer up); `drop` forgets it.
export function useFramePointer(handle: (e: PointerEvent) => void) {
  const pending = useRef<PointerEvent | null>(null);
  const latest = useRef(handle);
  latest.current = handle;
  const onMove = (e: PointerEvent) => {
    if (!pending.current)
      requestAnimationFrame(() => {
        const ev = pending.current;
        pending.current = null;
        if (ev) latest.current(ev);
      });
    pending.current = e;
  };
  const flush = () => {
    const ev = pending.current;
    pending.current = null;
    if (ev) latest.current(ev);
  };
  const drop = () => {
    pending.current = null;
  };
  return { onMove, flush, drop, pending };
}
