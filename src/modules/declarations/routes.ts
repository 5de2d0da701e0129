import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { ApiError } from "../../errors";
import { csvResponse, exportOptions } from "../../http/csv";
import { bodyReadAfterAuthentication, cachedJsonApi, jsonApi, readJsonApiBody, readJsonParams } from "../../http/json-api";
import { readListParams } from "../../http/list-params";
import { leadProviderApi } from "../auth/plugin";
import {
  DECLARATION_ATTRIBUTES,
  DeclarationBody,
  DeclarationCsvQuery,
  DeclarationListQuery,
  DeclarationParams,
  createOperation,
  csvOperation,
  listOperation,
  showOperation,
  voidOperation,
} from "./model";
import { declarationsCsvStream, listDeclarations, recordDeclaration, showDeclaration, voidProviderDeclaration } from "./service";

const listOptions = (paginate: boolean) => ({ allowCohortFilter: false, allowParticipantIdFilter: true, paginate });

/** The v2 declarations endpoints (docs/reference/business-rules.md §5). Authentication runs first (leadProviderApi). */
export function declarationsRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/api/v2" })
    .use(leadProviderApi(ctx))
    .post(
      "/participant-declarations",
      async ({ body, provider, now }) =>
        jsonApi(await recordDeclaration(ctx.db, provider.id, body.data.attributes ?? {}, now, (job) => ctx.groupCommit.run(job))),
      { body: DeclarationBody, parse: bodyReadAfterAuthentication, transform: readJsonApiBody(ctx.requests, DECLARATION_ATTRIBUTES), ...createOperation },
    )
    .get(
      "/participant-declarations",
      async ({ request, provider, query, format, info }) => {
        // `respond_to` has json and csv only (the CSV has its own route): any other format is 406 (docs/live-parity.md §1)
        if (format !== "json") throw new ApiError(406, null);
        const params = readListParams(query, listOptions(true));
        return cachedJsonApi(ctx.cache, request, info, provider.id, () => listDeclarations(ctx.db, provider.id, params));
      },
      { query: DeclarationListQuery, ...listOperation },
    )
    .get(
      "/participant-declarations.csv",
      ({ request, provider, query }) =>
        csvResponse(declarationsCsvStream(ctx.db, provider.id, readListParams(query, listOptions(false)), exportOptions(ctx.loopShare, (fields) => ctx.logError(request, fields)))),
      { query: DeclarationCsvQuery, ...csvOperation },
    )
    .get(
      "/participant-declarations/:id",
      async ({ request, params, provider, query, info }) => {
        // live `query_scope.find(id)`: the list's scope with its filters (docs/live-parity.md §5)
        const filters = readListParams(query, listOptions(false));
        return cachedJsonApi(ctx.cache, request, info, provider.id, () => showDeclaration(ctx.db, provider.id, params.id, filters));
      },
      { params: DeclarationParams, query: DeclarationCsvQuery, ...showOperation },
    )
    .put(
      "/participant-declarations/:id/void",
      async ({ request, params, provider, now, info }) => {
        // the body is not used, but `validate_filters` reads `params`, which parses it
        await readJsonParams(request, info);
        return jsonApi(await voidProviderDeclaration(ctx.db, provider.id, params.id, now));
      },
      { parse: "none", params: DeclarationParams, ...voidOperation },
    );
}
