import { useContext } from "preact/hooks";
import { get } from "../lib/api";
import { splitArtifactRef, type ArtifactBlock } from "../lib/report-types";
import { useAsync } from "../lib/use-async";
import { ReportContext } from "./report-blocks";

type File = { path: string; size: number; url?: string };
type VersionReply = { artifact: { name: string; type: string }; version: { version: number | null; aliases: string[] }; files: File[] };

const IMAGE = /\.(png|jpe?g|gif|webp|avif|bmp)$/i;
const MAX_IMAGES = 12;

const fmtBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

// An artifact version (name:alias) with its files; images are shown inline,
// other files are download links (presigned URLs from the API).
export function ArtifactView({ block }: { block: ArtifactBlock }) {
  const { name, ref } = splitArtifactRef(block.artifact);
  const ctx = useContext(ReportContext);
  const project = block.project_id ?? ctx.project;
  const data = useAsync(
    (s) => (project ? get<VersionReply>(`/projects/${encodeURIComponent(project)}/artifacts/${encodeURIComponent(name)}/versions/${encodeURIComponent(ref)}`, s) : Promise.reject(new Error("this block names no project"))),
    [project, name, ref],
  );
  const head = (
    <div class="artifact-head">
      <span class="block-kind">Artifact</span> <strong>{name}</strong> <code>{ref}</code>
      {data.data && (
        <span class="muted small">
          {" "}
          · v{data.data.version.version} · {data.data.artifact.type}
          {data.data.version.aliases.length > 0 && ` · ${data.data.version.aliases.join(", ")}`}
        </span>
      )}
    </div>
  );
  if (data.error)
    return (
      <div class="report-artifact" data-testid="report-artifact">
        {head}
        <p class="muted">This artifact cannot be shown: {data.error.message}</p>
      </div>
    );
  if (!data.data) return <div class="skeleton block-skeleton" />;
  const files = block.path ? data.data.files.filter((f) => f.path === block.path) : data.data.files;
  const images = files.filter((f) => IMAGE.test(f.path) && f.url).slice(0, MAX_IMAGES);
  const others = files.filter((f) => !images.includes(f));
  return (
    <div class="report-artifact" data-testid="report-artifact">
      {head}
      {files.length === 0 && <p class="muted">{block.path ? `No file ${block.path} in this version.` : "This version has no files."}</p>}
      {images.length > 0 && (
        <div class={`artifact-images${images.length === 1 ? " single" : ""}`}>
          {images.map((f) => (
            <figure>
              <img src={f.url} alt={f.path} loading="lazy" />
              <figcaption class="muted small">{f.path}</figcaption>
            </figure>
          ))}
        </div>
      )}
      {others.length > 0 && (
        <ul class="artifact-files">
          {others.map((f) => (
            <li>
              {f.url ? (
                <a href={f.url} rel="noopener noreferrer" download>
                  {f.path}
                </a>
              ) : (
                f.path
              )}{" "}
              <span class="muted small">{fmtBytes(f.size)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
