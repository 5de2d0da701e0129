import type { Static } from "@sinclair/typebox";
import { Elysia } from "elysia";
import type { AppContext, RequestInfo } from "../../context";
import { ApiError } from "../../errors";
import { csvResponse, exportOptions } from "../../http/csv";
import { bodyReadAfterAuthentication, cachedJsonApi, jsonApi, readJsonApiBody } from "../../http/json-api";
import { readListParams } from "../../http/list-params";
import type { FlatQuery } from "../../http/ruby-compat";
import { leadProviderApi } from "../auth/plugin";
import {
  ACTION_ATTRIBUTES,
  ChangeScheduleBody,
  DeferBody,
  ParticipantCsvQuery,
  ParticipantListQuery,
  ParticipantParams,
  ChangeScheduleParams,
  ResumeBody,
  WithdrawBody,
  actionOperation,
  csvOperation,
  listOperation,
  showOperation,
} from "./model";
import type { ParticipantAction } from "./rules";
import { listParticipants, participantsCsvStream, performParticipantAction, showParticipant } from "./service";

// the participant reads take `filter` through strong parameters: a nested value is dropped (docs/live-parity.md §2)
const listOptions = (paginate: boolean) => ({ allowCohortFilter: true, allowParticipantIdFilter: false, paginate, dropNestedFilters: true });
const ACTION_BODIES = { defer: DeferBody, resume: ResumeBody, withdraw: WithdrawBody, "change-schedule": ChangeScheduleBody };
type ActionBody = Static<(typeof ACTION_BODIES)[ParticipantAction]>;
const alias = (of: string) => ({ summary: `Alias of ${of} (live, undocumented)`, operationId: `${of.replace(/\W+/g, "_")}_alias` });

/** The ECF participant endpoints (docs/reference/business-rules.md §4, §6) and the live list aliases without `/ecf`. */
export function participantsRoutes(ctx: AppContext) {
  type Read = { request: Request; provider: { id: string }; query: FlatQuery; format: string; info: RequestInfo };
  const list = async ({ request, provider, query, format, info }: Read) => {
    // `respond_to` has json and csv only (the CSV has its own route): any other format is 406 (docs/live-parity.md §1)
    if (format !== "json") throw new ApiError(406, null);
    const params = readListParams(query, listOptions(true));
    return cachedJsonApi(ctx.cache, request, info, provider.id, async () => {
      const version = ctx.cache ? await ctx.cache.versionFor(info) : null;
      return listParticipants(ctx.db, provider.id, params, { version, pageEnds: ctx.pageEnds });
    });
  };
  const csv = async ({ request, provider, query }: Read) =>
    csvResponse(await participantsCsvStream(ctx.db, provider.id, readListParams(query, listOptions(false)), exportOptions(ctx.loopShare, (fields) => ctx.logError(request, fields))));
  const single = async ({ request, provider, params, query, info }: Read & { params: { id: string } }) => {
    const filters = readListParams(query, listOptions(false));
    return cachedJsonApi(ctx.cache, request, info, provider.id, () => showParticipant(ctx.db, provider.id, params.id, filters));
  };
  const act =
    (action: ParticipantAction) =>
    async ({ provider, params, body, now }: { provider: { id: string }; params: { id: string }; body: ActionBody; now: Date }) => {
      const attributes: Record<string, unknown> = body.data.attributes ?? {};
      return jsonApi(await performParticipantAction(ctx.db, provider.id, params.id, action, attributes, now));
    };

  const routes = new Elysia({ prefix: "/api/v2" })
    .use(leadProviderApi(ctx))
    .get("/participants/ecf", list, { query: ParticipantListQuery, ...listOperation() })
    .get("/participants/ecf.csv", csv, { query: ParticipantCsvQuery, ...csvOperation() })
    .get("/participants/ecf/:id", single, { params: ParticipantParams, query: ParticipantCsvQuery, ...showOperation() })
    // Only the list aliases exist live: the action paths without /ecf point at a deleted controller and
    // `/participants/{id}` has no route, so both are 404 (config/routes.rb:115-119, docs/live-parity.md §1).
    .get("/participants", list, { query: ParticipantListQuery, ...listOperation(alias("/api/v2/participants/ecf")) })
    .get("/participants.csv", csv, { query: ParticipantCsvQuery, ...csvOperation(alias("/api/v2/participants/ecf.csv")) });
  // each action its own route, with its own body schema (docs/reference/business-rules.md §6)
  const action = (name: ParticipantAction, body: typeof ACTION_BODIES[ParticipantAction]) => ({
    params: name === "change-schedule" ? ChangeScheduleParams : ParticipantParams,
    body,
    parse: bodyReadAfterAuthentication,
    transform: readJsonApiBody(ctx.requests, ACTION_ATTRIBUTES),
    ...actionOperation(name),
  });
  return routes
    .put("/participants/ecf/:id/defer", act("defer"), action("defer", DeferBody))
    .put("/participants/ecf/:id/resume", act("resume"), action("resume", ResumeBody))
    .put("/participants/ecf/:id/withdraw", act("withdraw"), action("withdraw", WithdrawBody))
    .put("/participants/ecf/:id/change-schedule", act("change-schedule"), action("change-schedule", ChangeScheduleBody));
}
