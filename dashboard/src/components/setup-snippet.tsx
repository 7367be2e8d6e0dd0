import { useState } from "preact/hooks";
import "../styles/artifacts.css";

// "How do I log my first run?" for empty pages: the three clients that exist
// today (python/README.md, sdk/README.md, README.md "From MLflow"), with this
// server's origin and the project filled in, each block with a copy button.
// tests/browser/empty-states.test.ts runs the Python and Node code as shown.
type Client = "python" | "node" | "mlflow";
const LABEL: Record<Client, string> = { python: "Python", node: "Node.js", mlflow: "MLflow" };

export function snippets(origin: string, project: string): Record<Client, { shell: string; code: string; file: string }> {
  const p = JSON.stringify(project);
  const key = "export SIGHTLINE_API_KEY=sl_...            # an API key (Settings → API keys)";
  return {
    python: {
      file: "train.py",
      shell: `pip install ./python                        # from a checkout of the Sightline repository\nexport SIGHTLINE_BASE_URL=${origin}\n${key}`,
      code: `import sightline\n\nrun = sightline.init(project=${p}, config={"lr": 0.01})\nfor step in range(100):\n    run.log({"loss": 1 / (step + 1)})\nrun.finish()\nprint(run.url)`,
    },
    node: {
      file: "train.mjs",
      shell: `npm install /path/to/sightline              # the repository checkout; Node 20 or later\nexport SIGHTLINE_BASE_URL=${origin}\n${key}`,
      code: `import { init } from "sightline";\n\nconst run = await init({ project: ${p}, config: { lr: 0.01 } });\nfor (let step = 0; step < 100; step++) run.log({ loss: 1 / (step + 1) });\nawait run.finish();\nconsole.log(run.url);`,
    },
    mlflow: {
      file: "train.py",
      shell: `pip install mlflow-skinny\nexport MLFLOW_TRACKING_URI=${origin}\nexport MLFLOW_TRACKING_TOKEN=sl_...         # a Sightline API key`,
      code: `import mlflow\n\nmlflow.set_experiment(${p})\nwith mlflow.start_run():\n    mlflow.log_param("lr", 0.01)\n    for step in range(100):\n        mlflow.log_metric("loss", 1 / (step + 1), step=step)`,
    },
  };
}

export function SetupSnippet({ project }: { project: string }) {
  const [client, setClient] = useState<Client>("python");
  const s = snippets(location.origin, project)[client];
  return (
    <div class="setup-snippet" data-testid="setup-snippet" data-client={client}>
      <div class="seg" role="group" aria-label="Client">
        {(Object.keys(LABEL) as Client[]).map((c) => (
          <button class={c === client ? "on" : ""} aria-pressed={c === client} onClick={() => setClient(c)}>
            {LABEL[c]}
          </button>
        ))}
      </div>
      <CodeBlock label={`Install and configure (${LABEL[client]})`} text={s.shell} testid="snippet-shell" />
      <CodeBlock label={`${s.file} (${LABEL[client]})`} text={s.code} testid="snippet-code" />
      <p class="muted small">
        An API key comes from <a href="/settings/keys">Settings → API keys</a>; the run appears here as soon as it starts.
      </p>
    </div>
  );
}

export function CodeBlock({ label, text, testid }: { label: string; text: string; testid?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="code-block">
      <pre class="code" data-testid={testid} aria-label={label} tabIndex={0}>
        {text}
      </pre>
      <button
        class="ghost small copy"
        aria-label={`Copy ${label}`}
        onClick={async () => {
          await navigator.clipboard?.writeText(text).catch(() => undefined);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        }}
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
