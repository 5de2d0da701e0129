/**
 * Every v3 (RECT) route, mounted under /api/v3 from here (docs/reference/rect/rules.md §1). A new
 * resource is a folder `src/modules/v3/<feature>/` on the template
 * (resource.ts, model.ts, routes.ts, service.ts, queries.ts, rules.ts) and
 * one line below.
 */
import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { declarationsRoutes } from "./declarations/routes";
import { deliveryPartnersRoutes } from "./delivery-partners/routes";
import { participantActionsRoutes } from "./participant-actions/routes";
import { participantsRoutes } from "./participants/routes";
import { partnershipsRoutes } from "./partnerships/routes";
import { schoolsRoutes } from "./schools/routes";
import { statementsRoutes } from "./statements/routes";
import { transfersRoutes } from "./transfers/routes";
import { unfundedMentorsRoutes } from "./unfunded-mentors/routes";

export function v3Routes(ctx: AppContext) {
  return new Elysia()
    .use(statementsRoutes(ctx))
    .use(deliveryPartnersRoutes(ctx))
    .use(schoolsRoutes(ctx))
    .use(partnershipsRoutes(ctx))
    .use(unfundedMentorsRoutes(ctx))
    .use(declarationsRoutes(ctx))
    .use(transfersRoutes(ctx))
    .use(participantsRoutes(ctx))
    .use(participantActionsRoutes(ctx));
}
