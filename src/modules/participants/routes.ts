import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { ApiError } from "../../errors";
import { csvResponse, csvStream } from "../../http/csv";
import { cachedJsonApi, jsonApi, readDataAttributes } from "../../http/json-api";
import { performParticipantAction } from "./actions";
import type { ParticipantAction } from "./rules";
import { type ListParams, readListParams as readRequestListParams } from "../../http/list-params";
import { castUuid } from "../../lib/ids";
import { toTimestamp } from "../../lib/time";
import { leadProviderApi } from "../auth/plugin";
import { type ParticipantFilter, listParticipantRows, participantCsvBatches, participantRowsFor } from "./queries";
import { PARTICIPANT_CSV_HEADER, participantCsvLine, participantResource } from "./serialize";

function readListParams(request: Request, paginate: boolean): ListParams {
  return readRequestListParams(request, { allowCohortFilter: true, allowParticipantIdFilter: false, paginate, dropNestedFilters: true });
}

/**
 * `data.attributes` of an action body. A zero-length body is never parsed
 * live (Rails skips the JSON parser when there is no content), so it has no
 * `data` and gets the missing-data 400, not the malformed-JSON one.
 */

/** `updated_since` is inclusive against whole-second timestamps: round a fraction up. */
function filterFrom(params: ListParams): ParticipantFilter {
  const since = params.updatedSince;
  return {
    cohorts: params.cohorts,
    updatedSince: since ? toTimestamp(new Date(Math.ceil(since.getTime() / 1000) * 1000)) : null,
  };
}

const tags = { tags: ["ECF participants"] };

/** The ECF participant reads and actions (business-rules §4, §6) and the undocumented list aliases without `/ecf`. */
export function participantsRoutes(ctx: AppContext) {
  const list = async ({ request, provider, format }: { request: Request; provider: { id: string }; format: string }) => {
    // `respond_to` has json and csv only (the CSV has its own route): any other format is 406 (docs/live-parity.md §1)
    if (format !== "json") throw new ApiError(406, null);
    const params = readListParams(request, true);
    return cachedJsonApi(ctx, request, provider.id, async () => {
      const version = ctx.cache ? await ctx.cache.versionFor(request) : null;
      const rows = await listParticipantRows(ctx.db, provider.id, filterFrom(params), params.page, params.perPage, version);
      return { data: rows.map(participantResource) };
    });
  };
  const csv = async ({ request, provider }: { request: Request; provider: { id: string } }) => {
    const params = readListParams(request, false);
    const nextBatch = await participantCsvBatches(ctx.db, provider.id, filterFrom(params));
    return csvResponse(csvStream(PARTICIPANT_CSV_HEADER, nextBatch, participantCsvLine));
  };
  const single = async ({ request, provider, params }: { request: Request; provider: { id: string }; params: { id: string } }) => {
    const listParams = readListParams(request, false);
    return cachedJsonApi(ctx, request, provider.id, async () => {
      // the id is cast as Rails casts it for a uuid column; a value it refuses matches nothing
      const id = castUuid(params.id);
      if (id === null) throw ApiError.notFound();
      const rows = await participantRowsFor(ctx.db, provider.id, id, filterFrom(listParams));
      if (rows.length === 0) throw ApiError.notFound();
      // A person with more than one visible record: the ECT one wins (§4.1).
      const row = rows.find((r) => r.participant_type === "ect") ?? rows[0]!;
      return { data: participantResource(row) };
    });
  };

  const act =
    (action: ParticipantAction) =>
    async ({ request, provider, params, now }: { request: Request; provider: { id: string }; params: { id: string }; now: Date }) => {
      const attributes = await readDataAttributes(request);
      return jsonApi(await performParticipantAction(ctx.db, provider.id, params.id, action, attributes, now));
    };
  const actions: Array<[ParticipantAction, string]> = [
    ["defer", "Notify that an ECF participant is taking a break from their course"],
    ["resume", "Notify that an ECF participant is resuming their course"],
    ["withdraw", "Notify that an ECF participant has withdrawn from their course"],
    ["change-schedule", "Notify that an ECF participant is changing training schedule"],
  ];

  let routes = new Elysia({ prefix: "/api/v2" })
    .use(leadProviderApi(ctx))
    .get("/participants/ecf", list, { detail: { ...tags, summary: "Retrieve multiple participants" } })
    .get("/participants/ecf.csv", csv, { detail: { ...tags, summary: "Retrieve all participants in CSV format" } })
    .get("/participants/ecf/:id", single, { detail: { ...tags, summary: "Get a single participant" } })
    // Only the list aliases exist live: the action paths without /ecf point at a deleted controller and
    // `/participants/{id}` has no route, so both are 404 (config/routes.rb:115-119, docs/live-parity.md §1).
    .get("/participants", list, { detail: { ...tags, summary: "Alias of /participants/ecf (live, undocumented)" } })
    .get("/participants.csv", csv, { detail: { ...tags, summary: "Alias of /participants/ecf.csv (live, undocumented)" } });
  for (const [action, summary] of actions) {
    routes = routes.put(`/participants/ecf/:id/${action}`, act(action), { parse: "none", detail: { ...tags, summary } }) as any;
  }
  return routes;
}
