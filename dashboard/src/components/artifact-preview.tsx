import { useAsync } from "../lib/use-async";
import type { ArtifactFile } from "./artifact-types";
import { fmtBytes } from "./artifact-types";

const IMAGE = /\.(png|jpe?g|gif|webp|bmp|avif)$/i;
const TEXT = /\.(txt|md|json|jsonl|csv|tsv|ya?ml|toml|ini|cfg|log|py|ts|js|sh|xml|html|rst)$|(^|\/)(README|LICENSE|Dockerfile)$/i;
const TEXT_MAX = 256 * 1024;

export type PreviewKind = "image" | "text";
export function previewKind(f: ArtifactFile): PreviewKind | null {
  if (IMAGE.test(f.path)) return "image";
  if (TEXT.test(f.path) && f.size <= TEXT_MAX) return "text";
  return null;
}

// Bytes come straight from object storage (the presigned URL), never through
// the Worker; text needs the bucket to allow this origin (CORS).
export function ArtifactPreview({ file, kind }: { file: ArtifactFile; kind: PreviewKind }) {
  if (kind === "image") return <img class="artifact-image" src={file.url} alt={`Preview of ${file.path}`} data-testid="image-preview" />;
  return <TextPreview file={file} />;
}

function TextPreview({ file }: { file: ArtifactFile }) {
  const text = useAsync(
    (signal) =>
      fetch(file.url!, { signal }).then((r) => {
        if (!r.ok) throw new Error(`object storage answered ${r.status}`);
        return r.text();
      }),
    [file.url],
  );
  if (text.error) return <p class="form-error">Cannot preview {file.path}: {text.error.message}. Download it instead.</p>;
  if (text.data === undefined) return <p class="muted">Loading {fmtBytes(file.size)}…</p>;
  return (
    <pre class="code artifact-text" data-testid="text-preview" tabIndex={0} aria-label={`Contents of ${file.path}`}>
      {text.data}
    </pre>
  );
}
