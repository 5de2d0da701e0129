import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { csvResponse, exportOptions } from "../../http/csv";
import { ApiError } from "../../errors";
import { cachedJsonApi, jsonApi, readDataAttributes, readJsonParams } from "../../http/json-api";
import { readListParams } from "../../http/list-params";
import { leadProviderApi } from "../auth/plugin";
import {
  declarationsCsvStream,
  listDeclarations,
  recordDeclaration,
  showDeclaration,
  voidProviderDeclaration,
} from "./service";

const detail = (summary: string) => ({ detail: { tags: ["Participant declarations"], summary } });

function listParams(request: Request, paginate: boolean) {
  return readListParams(request, { allowCohortFilter: false, allowParticipantIdFilter: true, paginate });
}

/** The v2 declarations endpoints (business-rules §5). Authentication runs first (leadProviderApi). */
export function declarationsRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/api/v2" })
    .use(leadProviderApi(ctx))
    .post(
      "/participant-declarations",
      async ({ request, provider, now }) => {
        const attributes = await readDataAttributes(request);
        return jsonApi(await recordDeclaration(ctx.db, provider.id, attributes, now, (job) => ctx.groupCommit.run(job)));
      },
      { parse: "none", ...detail("Declare a participant has reached a milestone") },
    )
    .get(
      "/participant-declarations",
      async ({ request, provider, format }) => {
        // `respond_to` has json and csv only (the CSV has its own route): any other format is 406 (docs/live-parity.md §1)
        if (format !== "json") throw new ApiError(406, null);
        const params = listParams(request, true);
        return cachedJsonApi(ctx, request, provider.id, () => listDeclarations(ctx.db, provider.id, params));
      },
      detail("List participant declarations"),
    )
    .get(
      "/participant-declarations.csv",
      ({ request, provider }) => {
        const params = listParams(request, false);
        return csvResponse(declarationsCsvStream(ctx.db, provider.id, params, exportOptions(ctx, request)));
      },
      detail("List all participant declarations as CSV"),
    )
    .get(
      "/participant-declarations/:id",
      async ({ request, params, provider }) => {
        // live `query_scope.find(id)`: the list's scope with its filters (docs/live-parity.md §5)
        const filters = listParams(request, false);
        return cachedJsonApi(ctx, request, provider.id, () => showDeclaration(ctx.db, provider.id, params.id, filters));
      },
      detail("Get a single participant declaration"),
    )
    .put(
      "/participant-declarations/:id/void",
      async ({ request, params, provider, now }) => {
        // the body is not used, but `validate_filters` reads `params`, which parses it
        await readJsonParams(request);
        return jsonApi(await voidProviderDeclaration(ctx.db, provider.id, params.id, now));
      },
      { parse: "none", ...detail("Void a participant declaration") },
    );
}
