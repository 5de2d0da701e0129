import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { ApiError } from "../../errors";
import { csvResponse } from "../../http/csv";
import { jsonApi, readDataAttributes } from "../../http/json-api";
import { performParticipantAction } from "./actions";
import type { ParticipantAction } from "./rules";
import { parseListParams, type ListParams } from "../../http/list-params";
import { toTimestamp } from "../../lib/time";
import { leadProviderApi } from "../auth/plugin";
import { listParticipantRows, participantRowsFor, visibleParticipantRows, type ParticipantFilter } from "./queries";
import { PARTICIPANT_CSV_HEADER, participantCsvValues, participantResource } from "./serialize";

function readListParams(request: Request, paginate: boolean): ListParams {
  const result = parseListParams(new URL(request.url).searchParams, { allowCohortFilter: true, allowParticipantIdFilter: false, paginate });
  if (!result.ok) throw ApiError.errors(result.status, result.errors);
  return result.value;
}

/** `updated_since` is inclusive against whole-second timestamps: round a fraction up. */
function filterFrom(params: ListParams): ParticipantFilter {
  const since = params.updatedSince;
  return {
    cohorts: params.cohorts,
    updatedSince: since ? toTimestamp(new Date(Math.ceil(since.getTime() / 1000) * 1000)) : null,
  };
}

const tags = { tags: ["ECF participants"] };

/** The ECF participant reads (business-rules §4) and their undocumented aliases without `/ecf`. */
export function participantsRoutes(ctx: AppContext) {
  const list = async ({ request, provider }: { request: Request; provider: { id: string } }) => {
    const params = readListParams(request, true);
    const rows = await listParticipantRows(ctx.db, provider.id, filterFrom(params), params.page, params.perPage);
    return jsonApi({ data: rows.map(participantResource) });
  };
  const csv = async ({ request, provider }: { request: Request; provider: { id: string } }) => {
    const params = readListParams(request, false);
    const filter = filterFrom(params);
    return csvResponse(
      PARTICIPANT_CSV_HEADER,
      (offset, limit) => visibleParticipantRows(ctx.db, provider.id, filter).limit(limit).offset(offset).execute(),
      participantCsvValues,
    );
  };
  const single = async ({ request, provider, params }: { request: Request; provider: { id: string }; params: { id: string } }) => {
    const listParams = readListParams(request, false);
    const rows = await participantRowsFor(ctx.db, provider.id, params.id, filterFrom(listParams));
    if (rows.length === 0) throw ApiError.notFound();
    // A person with more than one visible record: the ECT one wins (§4.1).
    const row = rows.find((r) => r.participant_type === "ect") ?? rows[0]!;
    return jsonApi({ data: participantResource(row) });
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
    .get("/participants", list, { detail: { ...tags, summary: "Alias of /participants/ecf (live, undocumented)" } })
    .get("/participants.csv", csv, { detail: { ...tags, summary: "Alias of /participants/ecf.csv (live, undocumented)" } })
    .get("/participants/:id", single, { detail: { ...tags, summary: "Alias of /participants/ecf/{id} (live, undocumented)" } });
  for (const [action, summary] of actions) {
    routes = routes
      .put(`/participants/ecf/:id/${action}`, act(action), { parse: "none", detail: { ...tags, summary } })
      .put(`/participants/:id/${action}`, act(action), { parse: "none", detail: { ...tags, summary: `Alias of /participants/ecf/{id}/${action} (live, undocumented)` } }) as any;
  }
  return routes;
}
