import { useState } from "preact/hooks";
import type { ArtifactFile } from "./artifact-types";
import { fmtBytes } from "./artifact-types";
import { ArtifactPreview, previewKind } from "./artifact-preview";

// A file list with presigned downloads and an inline preview for images and
// small text files. The URLs expire (15 min); reloading the view renews them.
export function ArtifactFiles({ files, label }: { files: ArtifactFile[]; label: string }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (path: string) =>
    setOpen((o) => {
      const n = new Set(o);
      n.has(path) ? n.delete(path) : n.add(path);
      return n;
    });
  if (files.length === 0) return <p class="muted">No files.</p>;
  return (
    <div class="table-scroll">
      <table class="grid compact artifact-file-table" aria-label={label}>
        <thead>
          <tr>
            <th>File</th>
            <th class="num">Size</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {files.map((f) => {
            const kind = previewKind(f);
            const shown = open.has(f.path);
            return (
              <>
                <tr data-path={f.path}>
                  <td class="wrap">
                    <code>{f.path}</code>
                  </td>
                  <td class="num">{fmtBytes(f.size)}</td>
                  <td class="actions">
                    {kind && f.url && (
                      <button class="ghost small" aria-expanded={shown} aria-label={`${shown ? "Hide" : "Preview"} ${f.path}`} onClick={() => toggle(f.path)}>
                        {shown ? "Hide" : "Preview"}
                      </button>
                    )}
                    {f.url && (
                      <a class="button ghost small" href={f.url} download={f.path.split("/").pop()} target="_blank" rel="noopener" aria-label={`Download ${f.path}`} data-testid="download">
                        Download
                      </a>
                    )}
                  </td>
                </tr>
                {shown && kind && f.url && (
                  <tr class="preview-row">
                    <td colSpan={3}>
                      <ArtifactPreview file={f} kind={kind} />
                    </td>
                  </tr>
                )}
              </>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
