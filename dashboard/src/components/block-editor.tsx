import type { Block } from "../lib/report-types";
import { BlockView } from "./report-blocks";

// Editing one block: markdown is a textarea with a live preview; other blocks
// show as they will read (their settings open with the block's Edit button).
export function BlockEditor({ block, onChange }: { block: Block; onChange: (b: Block) => void }) {
  if (block.type !== "markdown") return <BlockView block={block} />;
  return (
    <div class="md-edit">
      <textarea
        aria-label="Markdown text"
        placeholder={"# Heading\n\nText with **bold**, *italic*, `code`, [links](https://…) and math: $e^{i\\pi} + 1 = 0$"}
        rows={Math.min(20, Math.max(4, block.text.split("\n").length + 1))}
        value={block.text}
        onInput={(e) => onChange({ ...block, text: (e.target as HTMLTextAreaElement).value })}
      />
      <BlockView block={block} />
    </div>
  );
}
