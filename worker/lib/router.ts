import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { ApiError, describeIssues } from "./errors";

// Every router validates through this hook, so a failed check is always a 400
// in the one error envelope and names the field.
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const where = (result as { target?: string }).target ?? "request";
        throw new ApiError("invalid_argument", describeIssues(result.error.issues, where));
      }
    },
  });
}

export const bearerSecurity: Record<string, string[]>[] = [{ bearer: [] }, { basic: [] }, { session: [] }];
