import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { londonDate } from "../../../lib/london";
import { v3Api } from "../auth/plugin";
import { cachedV3Json } from "../http/envelope";
import { pagination, sortParts, updatedSince } from "../http/params";
import { UnfundedMentorListQuery, UnfundedMentorParams, UnfundedMentorShowQuery, listOperation, showOperation } from "./model";
import { TEACHER_SORT_COLUMNS } from "./queries";
import { listUnfundedMentors, showUnfundedMentor } from "./service";

const SORTABLE = Object.keys(TEACHER_SORT_COLUMNS);

/**
 * `GET /api/v3/unfunded-mentors`, `GET /api/v3/unfunded-mentors/{id}` (app/controllers/api/v3/unfunded_mentors_controller.rb).
 * A mentorship counts while it is current or future, so the set depends on today: a cached answer is kept per London day too.
 */
export function unfundedMentorsRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/api/v3" })
    .use(v3Api(ctx))
    .get(
      "/unfunded-mentors",
      ({ request, caller, rack, now }) => {
        const since = updatedSince(rack);
        const sort = sortParts(rack, SORTABLE, "api_unfunded_mentor_updated_at");
        const page = pagination(rack);
        const today = londonDate(now);
        return cachedV3Json(ctx, request, `${caller.leadProviderApiId} ${today}`, () => listUnfundedMentors(ctx.db, caller.leadProviderId, today, since, sort, page));
      },
      { query: UnfundedMentorListQuery, ...listOperation },
    )
    .get(
      "/unfunded-mentors/:id",
      ({ request, caller, now, params: { id } }) => {
        const today = londonDate(now);
        return cachedV3Json(ctx, request, `${caller.leadProviderApiId} ${today}`, () => showUnfundedMentor(ctx.db, caller.leadProviderId, today, id));
      },
      { params: UnfundedMentorParams, query: UnfundedMentorShowQuery, ...showOperation },
    );
}
