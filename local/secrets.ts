import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type LocalSecrets = { jwtKeys: string; s3AccessKeyId: string; s3SecretAccessKey: string };

// Made once per data folder, so sessions and keys survive a restart of `npm start`.
export function loadOrCreateSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as LocalSecrets;
  const secrets: LocalSecrets = {
    jwtKeys: `local1:${randomBytes(32).toString("base64url")}`,
    s3AccessKeyId: `SLLOCAL${randomBytes(6).toString("hex").toUpperCase()}`,
    s3SecretAccessKey: randomBytes(30).toString("base64url"),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
