// Sightline SDK: `const run = await init({ project: "mnist" }); run.log({ loss }); await run.finish();`
// Works in Node ≥ 20 and browsers (fetch only); Node exit hooks are applied only where `process` exists.
export { init, Run, type InitOptions, type FinishOptions, type RunData, type RunStatus } from "./run.ts";
export { HttpClient, SightlineError, type HttpClientOptions, type RequestOptions, type RetryPolicy } from "./client.ts";
export { encodeValue, decodeValue, type WireValue } from "./buffers.ts";
// Types only: the artifact code itself (Node-only) loads on first run.logArtifact()/useArtifact().
export type { LogArtifactOptions, LogResult, UseArtifactOptions, UseResult } from "./artifacts.ts";
