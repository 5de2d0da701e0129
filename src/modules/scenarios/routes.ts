import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { json } from "../../http/json-api";
import { adminApi } from "../auth/plugin";
import { Unauthorized } from "../admin/model";
import { adminJsonBody, rejectBodyProblems } from "../admin/validation";
import { NotFoundErrors, ScenarioApplied, ScenarioDocument, ScenarioList, ScenarioParams, ScenarioRefused, ShippedScenario } from "./model";
import { applyScenario, listShipped, shippedScenario } from "./service";

const detail = (summary: string, description?: string) => ({ tags: ["Admin (sandbox control)"], summary, description, security: [{ adminToken: [] }] });

/** Scenario documents (sandbox-contract.md, "Scenarios"); admin token only. */
export function scenarioRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/admin" })
    .use(adminApi(ctx))
    .use(rejectBodyProblems())
    .post("/scenarios", async ({ body }) => json(await applyScenario(ctx.db, ctx.clock, body), 201), {
      parse: adminJsonBody,
      body: ScenarioDocument,
      response: { 201: ScenarioApplied, 401: Unauthorized, 422: ScenarioRefused },
      detail: detail(
        "Build a world from a scenario document",
        "All or nothing, in one transaction: clock, lead providers, participants, declarations (made by the provider that trains the participant, by the rules of POST /api/v2/participant-declarations; `state` then reached through DfE's moves or a void), actions (the v2 participant actions, by their rules), transfers, induction statuses. A refused item, an unknown ref or a ref given twice: 422 with one error titled with the item's place (`declarations[0].declaration_date`), and nothing written. The answer maps each ref to the ids made.",
      ),
    })
    .get("/scenarios", () => json(listShipped()), {
      response: { 200: ScenarioList, 401: Unauthorized },
      detail: detail("The scenarios shipped with the sandbox"),
    })
    .get("/scenarios/:name", ({ params }) => json(shippedScenario(params.name)), {
      params: ScenarioParams,
      response: { 200: ShippedScenario, 401: Unauthorized, 404: NotFoundErrors },
      detail: detail("A shipped scenario's document"),
    })
    .post("/scenarios/:name", async ({ params }) => json(await applyScenario(ctx.db, ctx.clock, shippedScenario(params.name)), 201), {
      parse: "none",
      params: ScenarioParams,
      response: { 201: ScenarioApplied, 401: Unauthorized, 404: NotFoundErrors, 422: ScenarioRefused },
      detail: detail("Apply a shipped scenario", "As POST /admin/scenarios with that document. Its lead providers' names must be new: apply it once, then save a snapshot."),
    });
}
