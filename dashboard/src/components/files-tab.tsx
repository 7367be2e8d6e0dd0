import { get } from "../lib/api";
import { ApiFailure } from "../lib/api";
import { ErrorBox, Empty, Loading } from "./states";
import { useAsync } from "../lib/use-async";

type RunFile = { path?: string; name?: string; size?: number; size_bytes?: number; url?: string; created_at?: string };

// Loose files a run attached (issue 4). Until that API is deployed the tab says so.
export function FilesTab({ runId }: { runId: string }) {
  const files = useAsync(
    (s) =>
      get<{ files?: RunFile[] }>(`/runs/${runId}/files`, s).then(
        (r) => r.files ?? [],
        (e) => {
          if (e instanceof ApiFailure && e.status === 404 && /no route/.test(e.message)) return null;
          throw e;
        },
      ),
    [runId],
  );
  if (files.error) return <ErrorBox error={files.error} retry={files.reload} />;
  if (files.data === undefined) return <Loading what="Loading files" />;
  if (files.data === null)
    return (
      <Empty title="Files are not available on this server yet">
        <p>Run files and artifacts appear here once the artifacts API is deployed.</p>
      </Empty>
    );
  if (files.data.length === 0)
    return (
      <Empty title="No files">
        <p>
          Attach files from your training code with <code>run.logArtifact(path)</code>.
        </p>
      </Empty>
    );
  return (
    <table class="grid">
      <thead>
        <tr>
          <th>Path</th>
          <th>Size</th>
        </tr>
      </thead>
      <tbody>
        {files.data.map((f) => (
          <tr>
            <td>{f.url ? <a href={f.url}>{f.path ?? f.name}</a> : (f.path ?? f.name)}</td>
            <td class="num">{fmtBytes(f.size ?? f.size_bytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function fmtBytes(n: number | undefined) {
  if (n === undefined) return "";
  const u = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) (n /= 1024), i++;
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}
