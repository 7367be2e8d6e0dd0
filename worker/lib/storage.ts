import { S3Client } from "@aws-sdk/client-s3";
import type { Config } from "../env";

export type Storage = { client: S3Client; bucket: string } | null;

// R2 in production (its S3 endpoint), the local store in development. The
// client is built lazily: most requests never touch object storage.
export function createStorage(config: Config): () => Storage {
  let made: Storage | undefined;
  return () => {
    if (made !== undefined) return made;
    if (!config.S3_ENDPOINT || !config.S3_ACCESS_KEY_ID || !config.S3_SECRET_ACCESS_KEY) {
      made = null;
      return made;
    }
    made = {
      bucket: config.S3_BUCKET,
      client: new S3Client({
        endpoint: config.S3_ENDPOINT,
        region: config.S3_REGION,
        forcePathStyle: true,
        credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
        // Without this the presigner signs a CRC32 of an empty body into PUT URLs.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      }),
    };
    return made;
  };
}
