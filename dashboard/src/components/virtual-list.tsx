import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

// Fixed-height rows, only the visible slice (plus overscan) in the DOM, so ten
// thousand rows scroll as smoothly as ten.
export function VirtualList({
  count,
  rowHeight,
  render,
  height,
  class: cls,
  onScrollEl,
  follow,
}: {
  count: number;
  rowHeight: number;
  render: (i: number) => ComponentChildren;
  height: string;
  class?: string;
  onScrollEl?: (el: HTMLDivElement) => void;
  follow?: boolean;
}) {
  const el = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [view, setView] = useState(600);
  useEffect(() => {
    const ro = new ResizeObserver(() => setView(el.current!.clientHeight));
    ro.observe(el.current!);
    onScrollEl?.(el.current!);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    if (follow && el.current) el.current.scrollTop = count * rowHeight;
  }, [count, follow]);
  const first = Math.max(0, Math.floor(top / rowHeight) - 10);
  const last = Math.min(count, Math.ceil((top + view) / rowHeight) + 10);
  const rows = [];
  for (let i = first; i < last; i++) rows.push(render(i));
  return (
    <div class={`vlist ${cls ?? ""}`} ref={el} style={{ height }} onScroll={(e) => setTop((e.target as HTMLDivElement).scrollTop)}>
      <div style={{ height: `${count * rowHeight}px`, position: "relative" }}>
        <div style={{ transform: `translateY(${first * rowHeight}px)` }}>{rows}</div>
      </div>
    </div>
  );
}
