// Node-only: make a process exit drain a run's buffered data instead of
// dropping it. Only called when `process` exists (see init() in run.ts); it
// uses nothing but the global `process`, so the module itself is browser-safe.

export interface ExitTarget {
  readonly id: string;
  pendingPoints(): number;
  finish(opts: { status?: "finished" | "failed" | "killed"; exitCode?: number; timeoutMs?: number }): Promise<unknown>;
}

type Entry = { run: ExitTarget; deadlineMs: number };

const active = new Map<ExitTarget, Entry>();
// Runs whose finish gave up with data unsent stay here until 'exit' reports them.
const leftovers = new Set<ExitTarget>();
let installed = false;
let shuttingDown = false;

export function attachExitHooks(run: ExitTarget, opts: { deadlineMs: number }): () => void {
  install();
  active.set(run, { run, deadlineMs: opts.deadlineMs });
  return () => {
    active.delete(run);
    if (run.pendingPoints() > 0) leftovers.add(run);
  };
}

function finishAll(status: "finished" | "failed" | "killed", exitCode: number, deadline?: number): Promise<unknown> {
  return Promise.all(
    [...active.values()].map((e) => e.run.finish({ status, exitCode, timeoutMs: deadline ?? e.deadlineMs })),
  );
}

const maxDeadline = () => Math.max(0, ...[...active.values()].map((e) => e.deadlineMs));

function install(): void {
  if (installed) return;
  installed = true;

  // The event loop ran dry: the script is done. Finish what is still open;
  // the finish calls keep the loop alive until they are answered, after which
  // 'beforeExit' fires again with nothing left to do.
  process.on("beforeExit", (code) => {
    if (active.size === 0 || shuttingDown) return;
    void finishAll(code === 0 ? "finished" : "failed", code);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const onSignal = () => {
      // A second Ctrl-C while draining means "now".
      if (shuttingDown) return process.exit(128 + (signal === "SIGINT" ? 2 : 15));
      shuttingDown = true;
      const exitCode = 128 + (signal === "SIGINT" ? 2 : 15);
      const deadline = maxDeadline();
      process.stderr.write(`sightline: ${signal}: sending buffered data (up to ${Math.round(deadline / 1000)} s; again to quit now)\n`);
      void finishAll("killed", exitCode, deadline).finally(() => {
        // Someone else listens too: they decide whether the process ends.
        if (process.listenerCount(signal) > 1) {
          shuttingDown = false;
          return;
        }
        // Re-raise with the default action so the exit status says "killed by signal".
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      });
    };
    process.on(signal, onSignal);
  }

  // With only our listener, Node would have printed the error and exited 1:
  // do the same after marking the runs failed. If the program has its own
  // handler it has chosen to survive, and so do the runs.
  process.on("uncaughtException", (err, origin) => {
    if (process.listenerCount("uncaughtException") > 1) return;
    console.error(origin === "unhandledRejection" ? "Unhandled rejection:" : "Uncaught exception:", err);
    if (shuttingDown) process.exit(1);
    shuttingDown = true;
    void finishAll("failed", 1, maxDeadline()).finally(() => process.exit(1));
  });

  // Synchronous last words: nothing can be sent any more, but data must not
  // vanish silently.
  process.on("exit", () => {
    for (const run of new Set([...active.keys(), ...leftovers])) {
      const n = run.pendingPoints();
      if (n > 0) process.stderr.write(`sightline: WARNING: run ${run.id} exited with ${n} points/lines NOT sent to the server\n`);
    }
  });
}
