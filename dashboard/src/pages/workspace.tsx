// A project's chart workspace (W&B's workspace): every metric of the shown
// runs as panels grouped into sections by key prefix. Issue 13 (charts helper).
export function WorkspacePage({ project }: { project: string }) {
  return <section class="page workspace-page" data-project={project} />;
}
