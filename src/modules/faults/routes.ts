import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { json } from "../../http/json-api";
import { adminApi } from "../auth/plugin";
import { Unauthorized } from "../admin/model";
import { adminJsonBody, rejectBodyProblems } from "../admin/validation";
import { ErrorsBody, FaultDeleted, FaultList, FaultParams, FaultRule, FaultRuleBody, FaultsCleared } from "./model";

const detail = (summary: string, description?: string) => ({ tags: ["Admin (sandbox control)"], summary, description, security: [{ adminToken: [] }] });

/** The fault rules (docs/reference/sandbox-contract.md, "Faults on demand"); admin token only. */
export function faultRoutes(ctx: AppContext) {
  const table = ctx.faults;
  return new Elysia({ prefix: "/admin" })
    .use(adminApi(ctx))
    .use(rejectBodyProblems())
    .post("/faults", ({ body }) => json(table.add(body), 201), {
      parse: adminJsonBody,
      body: FaultRuleBody,
      response: { 201: FaultRule, 401: Unauthorized, 422: ErrorsBody },
      detail: detail(
        "Add a fault rule",
        "Chosen requests to /api/ fail on purpose: a front-door status (500/502/503/504), a delay, a timeout, a dropped connection before or after the write, or the throttle's 429. Rules never touch /admin, /healthz or the docs, and a snapshot restore keeps them. One request can also ask for a fault with the header `X-Sandbox-Fault` (`status=503`, `delay=2000`, `timeout`, `reset`, `reset-after`, `rate-limit`).",
      ),
    })
    .get("/faults", () => json(table.list()), {
      response: { 200: FaultList, 401: Unauthorized },
      detail: detail("List the fault rules", "In the order they apply, with `remaining` and `hits`."),
    })
    .delete("/faults/:id", ({ params }) => json(table.remove(params.id)), {
      params: FaultParams,
      response: { 200: FaultDeleted, 401: Unauthorized, 404: ErrorsBody },
      detail: detail("Delete a fault rule"),
    })
    .delete("/faults", () => json(table.clear()), {
      response: { 200: FaultsCleared, 401: Unauthorized },
      detail: detail("Delete every fault rule"),
    });
}
