import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { ApiError } from "../../errors";
import { csvResponse } from "../../http/csv";
import { bodyReadAfterAuthentication, cachedJsonApi, jsonApi, readJsonApiBody } from "../../http/json-api";
import { type FlatQuery, } from "../../http/ruby-compat";
import { readListParams } from "../../http/list-params";
import { leadProviderApi } from "../auth/plugin";
import {
  ACTION_ATTRIBUTES,
  ChangeScheduleBody,
  DeferBody,
  ParticipantCsvQuery,
  ParticipantListQuery,
  ParticipantParams,
  ResumeBody,
  WithdrawBody,
  actionOperation,
  csvOperation,
  listOperation,
  showOperation,
} from "./model";
import type { ParticipantAction } from "./rules";
import { listParticipants, participantsCsvStream, performParticipantAction, showParticipant } from "./service";

const listOptions = (paginate: boolean) => ({ allowCohortFilter: true, allowParticipantIdFilter: false, paginate });
const ACTION_BODIES = { defer: DeferBody, resume: ResumeBody, withdraw: WithdrawBody, "change-schedule": ChangeScheduleBody };
const alias = (of: string) => ({ summary: `Alias of ${of} (live, undocumented)`, operationId: undefined as unknown as string });

/** The ECF participant endpoints (business-rules §4, §6) and the live service's undocumented aliases without `/ecf`. */
export function participantsRoutes(ctx: AppContext) {
  type Read = { request: Request; provider: { id: string }; query: FlatQuery };
  const list = async ({ request, provider, query }: Read) => {
    const params = readListParams(query, listOptions(true));
    return cachedJsonApi(ctx, request, provider.id, async () => {
      const version = ctx.cache ? await ctx.cache.versionFor(request) : null;
      return listParticipants(ctx.db, provider.id, params, { version, pageEnds: ctx.pageEnds });
    });
  };
  const csv = async ({ provider, query }: Read) =>
    csvResponse(await participantsCsvStream(ctx.db, provider.id, readListParams(query, listOptions(false))));
  const single = async (context: Read & { params: { id: string } }) => {
    const { request, provider, params, query } = context;
    // `/participants/ecf.json` is the list; any other format extension is 406 with an empty body (§3.3).
    const format = /^ecf\.([^/]*)$/.exec(params.id);
    if (format) {
      if (format[1] === "json") return list(context);
      throw new ApiError(406, null);
    }
    const listParams = readListParams(query, listOptions(false));
    return cachedJsonApi(ctx, request, provider.id, () => showParticipant(ctx.db, provider.id, params.id, listParams));
  };
  const act =
    (action: ParticipantAction) =>
    async ({ provider, params, body, now }: { provider: { id: string }; params: { id: string }; body: unknown; now: Date }) => {
      const attributes = (body as { data: { attributes?: Record<string, unknown> } }).data.attributes ?? {};
      return jsonApi(await performParticipantAction(ctx.db, provider.id, params.id, action, attributes, now));
    };

  let routes = new Elysia({ prefix: "/api/v2" })
    .use(leadProviderApi(ctx))
    .get("/participants/ecf", list, { query: ParticipantListQuery, ...listOperation() })
    .get("/participants/ecf.csv", csv, { query: ParticipantCsvQuery, ...csvOperation() })
    .get("/participants/ecf/:id", single, { params: ParticipantParams, query: ParticipantCsvQuery, ...showOperation() })
    .get("/participants", list, { query: ParticipantListQuery, ...listOperation(alias("/participants/ecf")) })
    .get("/participants.csv", csv, { query: ParticipantCsvQuery, ...csvOperation(alias("/participants/ecf.csv")) })
    .get("/participants/:id", single, { params: ParticipantParams, query: ParticipantCsvQuery, ...showOperation(alias("/participants/ecf/{id}")) })
    .get("/participants.json", list, { query: ParticipantListQuery, ...listOperation({ hide: true }) });
  for (const action of ["defer", "resume", "withdraw", "change-schedule"] as const) {
    const hooks = { params: ParticipantParams, body: ACTION_BODIES[action], parse: bodyReadAfterAuthentication, transform: readJsonApiBody(ACTION_ATTRIBUTES) };
    routes = routes
      .put(`/participants/ecf/:id/${action}`, act(action), { ...hooks, ...actionOperation(action) })
      .put(`/participants/:id/${action}`, act(action), { ...hooks, ...actionOperation(action, alias(`/participants/ecf/{id}/${action}`)) }) as any;
  }
  return routes;
}
