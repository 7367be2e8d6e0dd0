// Runs the local S3 store alone, for manual checks with curl or the AWS CLI:
//   npm exec -- node local/s3/cli.ts
// Settings come from the same S3_* variables the worker reads.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startS3Store } from "./server.ts";

const env = process.env;
// A throwaway folder unless told otherwise, so a manual check never mixes
// its objects into the data of `npm start`.
const dataDir = env.S3_DATA_DIR ?? (await mkdtemp(join(tmpdir(), "sightline-s3-")));
const accessKeyId = env.S3_ACCESS_KEY_ID ?? "sightline-local";
const secretAccessKey = env.S3_SECRET_ACCESS_KEY ?? "sightline-local-secret";
const region = env.S3_REGION ?? "auto";
const bucket = env.S3_BUCKET ?? "sightline-artifacts";

const store = await startS3Store({
  dataDir,
  port: Number(env.S3_PORT ?? 0),
  credentials: [{ accessKeyId, secretAccessKey }],
  region,
  buckets: [bucket],
  corsOrigins: (env.S3_CORS_ORIGINS ?? "*").split(","),
});
console.log(`S3 store listening on ${store.endpoint}`);
console.log(`  bucket=${bucket} region=${region} accessKeyId=${accessKeyId} secretAccessKey=${secretAccessKey}`);
console.log(`  data in ${dataDir}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    store.stop().then(() => process.exit(0));
  });
}
