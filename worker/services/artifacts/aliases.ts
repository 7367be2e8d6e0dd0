import { and, eq } from "drizzle-orm";
import { artifactAliases } from "../../../schema";
import type { Db } from "../../lib/db";
import { ApiError, notFound } from "../../lib/errors";
import { LATEST, type Artifact } from "./versions";

export function checkAlias(alias: string) {
  if (alias === LATEST) throw new ApiError("invalid_argument", 'alias: "latest" always names the newest version and moves by itself');
}

export async function removeAlias(db: Db, teamId: string, artifact: Artifact, alias: string): Promise<void> {
  checkAlias(alias);
  const gone = await db
    .delete(artifactAliases)
    .where(and(eq(artifactAliases.teamId, teamId), eq(artifactAliases.artifactId, artifact.id), eq(artifactAliases.alias, alias)))
    .returning();
  if (!gone.length) throw notFound("alias");
}
