import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { json } from "../../../http/json-api";
import { BadRequest, NotFound, PayloadTooLarge, Unauthorized, Unprocessable } from "../../admin/model";
import { adminJsonBody, rejectBodyProblems } from "../../admin/validation";
import { adminApi } from "../../auth/plugin";
import * as m from "./model";
import * as s from "./service";

const detail = (summary: string, description?: string) => ({
  tags: ["Admin v3 (RECT world) events"],
  summary,
  ...(description ? { description } : {}),
  security: [{ adminToken: [] }],
});
const answers = { 200: m.EventAnswer, 400: BadRequest, 401: Unauthorized, 404: NotFound, 413: PayloadTooLarge, 422: Unprocessable };

/** The event calls of control-plane.md §4.1-4.3 implemented so far (the rest: README, v3 section). */
export function adminV3EventRoutes(ctx: AppContext) {
  const route = { parse: adminJsonBody, response: answers };
  return new Elysia({ prefix: "/admin/v3" })
    .use(adminApi(ctx))
    .use(rejectBodyProblems())
    .post("/jobs/nightly", async ({ body, now }) => json(await s.runNightly(ctx.db, body, now)), {
      ...route,
      body: m.NightlyBody,
      detail: detail(
        "Run RECT's nightly jobs as of the clock",
        "Touches the partnerships whose participants_currently_training changed (periods starting today, ended yesterday) and the teachers whose mentor_id changed; with mark_statements_payable, open statements past their deadline become payable (control-plane.md §4.5).",
      ),
    })
    .put("/contract-periods/:year", async ({ params, body, now }) => json(await s.updateContractPeriod(ctx.db, params.year, body, now)), {
      ...route,
      params: m.YearParams,
      body: m.ContractPeriodBody,
      detail: detail("Change a contract period's flags (DfE)"),
    })
    .put(
      "/schedules/:year/:identifier/milestones/:type",
      async ({ params, body, now }) => json(await s.putMilestone(ctx.db, params.year, params.identifier, params.type, body, now)),
      { ...route, params: m.MilestoneParams, body: m.MilestoneBody, detail: detail("Set or delete a milestone (DfE)") },
    )
    .put("/statements/:id/status", async ({ params, body, now }) => json(await s.moveStatement(ctx.db, params.id, body, now)), {
      ...route,
      params: m.IdParams,
      body: m.StatementStatusBody,
      detail: detail(
        "Mark a statement payable or paid (DfE)",
        "payable (MarkAsPayable): an open statement whose deadline has passed; its eligible declarations become payable. paid (AuthorisePayment): a payable output statement whose deadline has passed, with a payable or awaiting_clawback declaration; payable ones paid, awaiting_clawback ones clawed_back. Otherwise 422.",
      ),
    })
    .patch("/statements/:id", async ({ params, body, now }) => json(await s.patchStatement(ctx.db, params.id, body, now)), {
      ...route,
      params: m.IdParams,
      body: m.StatementPatchBody,
      detail: detail("Move a statement's dates (DfE)"),
    })
    .patch("/lead-providers/:id", async ({ params, body, now }) => json(await s.renameLeadProvider(ctx.db, params.id, body, now)), {
      ...route,
      params: m.IdParams,
      body: m.LeadProviderPatchBody,
      detail: detail("Rename a v3 lead provider (DfE)"),
    })
    .patch("/partnerships/:id", async ({ params, body, now }) => json(await s.changePartnershipDeliveryPartner(ctx.db, params.id, body, now)), {
      ...route,
      params: m.IdParams,
      body: m.PartnershipPatchBody,
      detail: detail("Move a partnership to another delivery partner (DfE, without the API's checks)"),
    })
    .patch("/schools/:id", async ({ params, body, now }) => json(await s.patchSchool(ctx.db, params.id, body, now)), {
      ...route,
      params: m.IdParams,
      body: m.SchoolPatchBody,
      detail: detail("Change a school (school / GIAS)"),
    })
    .patch("/teachers/:id", async ({ params, body, now }) => json(await s.patchTeacher(ctx.db, params.id, body, now)), {
      ...route,
      params: m.IdParams,
      body: m.TeacherPatchBody,
      detail: detail("Change a teacher's names or TRN (TRS)"),
    })
    .post("/teachers/:id/id-changes", async ({ params, body, now }) => json(await s.addIdChange(ctx.db, params.id, body, now), 201), {
      ...route,
      params: m.IdParams,
      body: m.IdChangeBody,
      response: { ...answers, 201: m.EventAnswer },
      detail: detail("Record a merged duplicate (DfE)"),
    })
    .put("/teachers/:id/funding", async ({ params, body, now }) => json(await s.setFunding(ctx.db, params.id, body, now)), {
      ...route,
      params: m.IdParams,
      body: m.FundingBody,
      detail: detail("Set a role's funding fields (DfE)", "The first eligible_at moves that role's submitted declarations to eligible on the next output statement."),
    })
    .patch("/periods/:id", async ({ params, body, now }) => json(await s.patchPeriod(ctx.db, params.id, body, now)), {
      ...route,
      params: m.IdParams,
      body: m.PeriodPatchBody,
      detail: detail("Change an at-school period's email or working pattern (school)"),
    })
    .post("/teachers/:id/induction-periods", async ({ params, body, now }) => json(await s.addInductionPeriod(ctx.db, params.id, body, now), 201), {
      ...route,
      params: m.IdParams,
      body: m.InductionPeriodBody,
      response: { ...answers, 201: m.EventAnswer },
      detail: detail("Record an induction period (appropriate body)"),
    })
    .patch("/induction-periods/:id", async ({ params, body, now }) => json(await s.patchInductionPeriod(ctx.db, params.id, body, now)), {
      ...route,
      params: m.IdParams,
      body: m.InductionPeriodPatchBody,
      detail: detail("Close an induction period (appropriate body)"),
    });
}
