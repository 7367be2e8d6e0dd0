import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { text } from "../../lib/validation";
import { guard } from "../../middleware/auth";
import { createTeam, teamsOfUser } from "../../services/accounts";
import { actorOf, recordAudit } from "../../services/audit";
import { clientAddress } from "../auth/client-address";
import { teamSchema } from "../auth/schema";
import { deleteTeamRoute } from "./delete";
import { transferOwnershipRoute } from "./transfer";

const list = createRoute({
  method: "get",
  path: "/",
  summary: "The teams the calling user belongs to",
  security: bearerSecurity,
  middleware: guard("read"),
  responses: { 200: jsonContent(z.object({ teams: z.array(teamSchema) })), ...authErrors },
});

const create = createRoute({
  method: "post",
  path: "/",
  summary: "Create another team, owned by the calling user",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(z.object({ name: text(100) })) },
  responses: { 201: jsonContent(z.object({ team: teamSchema }), "Created"), ...authErrors },
});

export const teamsRouter = newRouter();
teamsRouter.route("/", transferOwnershipRoute);
teamsRouter.route("/", deleteTeamRoute);
teamsRouter
  .openapi(list, async (c) => c.json({ teams: await teamsOfUser(c.get("db"), c.get("principal").userId) }, 200))
  .openapi(create, async (c) => {
    const p = c.get("principal");
    const db = c.get("db");
    const team = await createTeam(db, p.userId, c.req.valid("json").name, c.get("config").DEFAULT_PLAN);
    // Recorded in the new team's log, where its admins will look.
    await recordAudit(db, team.id, actorOf(p, clientAddress(c)), { action: "team.create", resourceType: "team", resourceId: team.id, details: { name: team.name } });
    return c.json({ team }, 201);
  });
