import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { v3Api } from "../auth/plugin";
import { cachedV3Json } from "../http/envelope";
import { filterValue, pagination, singleCohort, sortParts, updatedSince, validateFilters } from "../http/params";
import { SchoolListQuery, SchoolParams, SchoolShowQuery, listOperation, showOperation } from "./model";
import { METADATA_SORT_COLUMNS, SCHOOL_SORT_COLUMNS } from "./queries";
import { sortsByMetadata, urnFilter } from "./rules";
import { listSchools, showSchool } from "./service";

const REQUIRED = ["cohort"];

/** `GET /api/v3/schools`, `GET /api/v3/schools/{id}`, both with `filter[cohort]` (app/controllers/api/v3/schools_controller.rb). */
export function schoolsRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/api/v3" })
    .use(v3Api(ctx))
    .get(
      "/schools",
      ({ request, caller, rack }) => {
        validateFilters(rack, REQUIRED);
        const urn = filterValue(rack, "urn");
        const filters = { year: singleCohort(rack), urn: urnFilter(typeof urn === "string" ? urn : undefined), updatedSince: updatedSince(rack) };
        const metadata = sortsByMetadata(rack.sort);
        const parts = sortParts(rack, Object.keys(metadata ? METADATA_SORT_COLUMNS : SCHOOL_SORT_COLUMNS));
        const page = pagination(rack);
        return cachedV3Json(ctx, request, caller.leadProviderApiId, () => listSchools(ctx.db, caller.leadProviderId, filters, parts ? { parts, metadata } : null, page));
      },
      { query: SchoolListQuery, ...listOperation },
    )
    .get(
      "/schools/:id",
      ({ request, caller, rack, params: { id } }) => {
        validateFilters(rack, REQUIRED);
        const year = singleCohort(rack);
        return cachedV3Json(ctx, request, caller.leadProviderApiId, () => showSchool(ctx.db, caller.leadProviderId, year, id));
      },
      { params: SchoolParams, query: SchoolShowQuery, ...showOperation },
    );
}
