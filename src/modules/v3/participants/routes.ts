import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { londonDate } from "../../../lib/london";
import { v3Api } from "../auth/plugin";
import { cachedV3Json } from "../http/envelope";
import { cohortList, filterValue, pagination, sortParts, updatedSince } from "../http/params";
import { ParticipantListQuery, ParticipantParams, ParticipantShowQuery, listOperation, showOperation } from "./model";
import { TEACHER_SORT_COLUMNS } from "./queries";
import { fromParticipantFilter, permittedScalar } from "./rules";
import { listParticipants, showParticipant } from "./service";

const SORTABLE = Object.keys(TEACHER_SORT_COLUMNS);

/**
 * `GET /api/v3/participants`, `GET /api/v3/participants/{id}` (app/controllers/api/v3/participants_controller.rb:6-21).
 * `participant_status` and `mentor_id` depend on today, so the cached answer is kept per London day too.
 */
export function participantsRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/api/v3" })
    .use(v3Api(ctx))
    .get(
      "/participants",
      ({ request, caller, rack, now }) => {
        const filters = {
          cohorts: cohortList(rack),
          updatedSince: updatedSince(rack),
          trainingStatus: permittedScalar(filterValue(rack, "training_status")),
          fromParticipantId: fromParticipantFilter(filterValue(rack, "from_participant_id")),
        };
        const sort = sortParts(rack, SORTABLE);
        const page = pagination(rack);
        const today = londonDate(now);
        return cachedV3Json(ctx, request, `${caller.leadProviderApiId} ${today}`, () => listParticipants(ctx.db, caller.leadProviderId, today, filters, sort, page));
      },
      { query: ParticipantListQuery, ...listOperation },
    )
    .get(
      "/participants/:id",
      ({ request, caller, now, params: { id } }) => {
        const today = londonDate(now);
        return cachedV3Json(ctx, request, `${caller.leadProviderApiId} ${today}`, () => showParticipant(ctx.db, caller.leadProviderId, id, today));
      },
      { params: ParticipantParams, query: ParticipantShowQuery, ...showOperation },
    );
}
