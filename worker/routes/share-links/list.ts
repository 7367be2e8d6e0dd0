import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { listShareLinks } from "../../services/share-links";
import { reportParams, shareLinkJson, shareLinkSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/reports/{report}/share-links",
  summary: "A report's share links (live, expired and revoked; never their tokens)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: reportParams },
  responses: { 200: jsonContent(z.object({ links: z.array(shareLinkSchema) })), ...authErrors },
});

export const listShareLinksRoute = newRouter().openapi(route, async (c) => {
  const links = await listShareLinks(c.get("db"), c.get("principal").teamId, c.req.valid("param").report);
  return c.json({ links: links.map(shareLinkJson) }, 200);
});
