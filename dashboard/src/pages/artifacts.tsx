// A project's artifacts: names, versions, aliases, producing runs. Issue 13.
export function ArtifactsPage({ project }: { project: string }) {
  return <section class="page artifacts-page" data-project={project} />;
}
