import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { json } from "../../../http/json-api";
import { adminApi } from "../../auth/plugin";
import { BadRequest, NotFound, PayloadTooLarge, Unauthorized, Unprocessable } from "../../admin/model";
import { adminJsonBody, rejectBodyProblems } from "../../admin/validation";
import { createStatement, loadScenario, validateScenario } from "../scenarios/service";
import { exportWorld } from "../scenarios/world";
import { adminV3EventRoutes } from "../events/routes";
import {
  CreateV3LeadProviderBody,
  ScenarioBody,
  ScenarioLoaded,
  ScenarioValid,
  StatementBody,
  StatementCreated,
  V3LeadProviderCreated,
  V3LeadProviderList,
  V3LeadProviderParams,
  V3TokenCreated,
  V3TokenParams,
  V3TokenRevoked,
  WorldDocument,
} from "./model";
import { createLeadProvider, listLeadProviders, mintToken, revokeToken } from "./service";

const detail = (summary: string, description?: string) => ({
  tags: ["Admin v3 (RECT world)"],
  summary,
  ...(description ? { description } : {}),
  security: [{ adminToken: [] }],
});
const refusals = { 400: BadRequest, 401: Unauthorized };
const bodyRefusals = { ...refusals, 413: PayloadTooLarge, 422: Unprocessable };

/**
 * The RECT world's control plane (docs/reference/rect/control-plane.md):
 * plain JSON, admin token only, as the v2 admin API.
 */
export function adminV3Routes(ctx: AppContext) {
  const options = (now: Date) => ({ now, statements: ctx.v3Statements });
  const documents = new Elysia({ prefix: "/admin/v3" })
    .use(adminApi(ctx))
    .use(rejectBodyProblems())
    .post("/scenarios", async ({ body, now }) => json({ refs: await loadScenario(ctx.db, body, options(now)) }, 201), {
      parse: adminJsonBody,
      body: ScenarioBody,
      response: { 201: ScenarioLoaded, ...bodyRefusals },
      detail: detail("Add a scenario to the RECT world", "Atomic: all of it or nothing. A problem is a 422 titled with the JSON pointer of the value."),
    })
    .post(
      "/scenarios/validate",
      async ({ body, now }) => {
        await validateScenario(ctx.db, body, options(now));
        return json({ ok: true });
      },
      { parse: adminJsonBody, body: ScenarioBody, response: { 200: ScenarioValid, ...bodyRefusals }, detail: detail("Check a scenario without loading it") },
    )
    .get("/world", async () => json(await exportWorld(ctx.db)), {
      response: { 200: WorldDocument, ...refusals },
      detail: detail("The RECT world as a scenario document", "Absolute dates and ids; usable as a RECT_SCENARIO file on an empty database."),
    })
    .post("/lead-providers", async ({ body, now }) => json(await createLeadProvider(ctx.db, body.name, body.cohorts, options(now)), 201), {
      parse: adminJsonBody,
      body: CreateV3LeadProviderBody,
      response: { 201: V3LeadProviderCreated, ...bodyRefusals },
      detail: detail("Create a v3 lead provider and a token for it", "With the statement calendars of its cohorts, unless RECT_STATEMENTS=none."),
    })
    .get("/lead-providers", async () => json(await listLeadProviders(ctx.db, (id, stored) => ctx.v3LastUsed.seen(id, stored))), {
      response: { 200: V3LeadProviderList, ...refusals },
      detail: detail("List v3 lead providers, their cohorts and tokens"),
    })
    .post("/lead-providers/:id/api-tokens", async ({ params, now }) => json(await mintToken(ctx.db, params.id, now), 201), {
      parse: "none",
      params: V3LeadProviderParams,
      response: { 201: V3TokenCreated, ...refusals, 404: NotFound },
      detail: detail("Mint one more token for a v3 lead provider"),
    })
    .delete("/api-tokens/:id", async ({ params }) => json(await revokeToken(ctx.db, params.id)), {
      params: V3TokenParams,
      response: { 200: V3TokenRevoked, ...refusals, 404: NotFound },
      detail: detail("Revoke a v3 token", "It is unknown (401) from the next request on."),
    })
    .post("/statements", async ({ body, now }) => json(await createStatement(ctx.db, body, options(now)), 201), {
      parse: adminJsonBody,
      body: StatementBody,
      response: { 201: StatementCreated, ...bodyRefusals },
      detail: detail("Add a statement for a v3 lead provider and cohort"),
    });
  // the event calls (control-plane.md §4) have their own feature, src/modules/v3/events
  return new Elysia().use(documents).use(adminV3EventRoutes(ctx));
}
