import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { ApiError } from "../../errors";
import { json } from "../../http/json-api";
import { toTimestamp } from "../../lib/time";
import { adminApi } from "../auth/plugin";
import {
  BadRequest,
  ClockBody,
  ClockSet,
  CreateLeadProviderBody,
  CreateParticipantBody,
  DeclarationMoved,
  DeclarationParams,
  DeclarationStateBody,
  InductionStatusBody,
  InductionStatusSet,
  LeadProviderCreated,
  LeadProviderList,
  LeadProviderParams,
  NotFound,
  ParticipantCreated,
  ParticipantParams,
  ParticipantTransferred,
  PayloadTooLarge,
  TokenCreated,
  TokenParams,
  TokenRevoked,
  TransferBody,
  Unauthorized,
  Unprocessable,
} from "./model";
import {
  createLeadProvider,
  createParticipant,
  listLeadProviders,
  mintToken,
  parseClockInstant,
  revokeToken,
  setInductionStatus,
  transferParticipant,
} from "./service";
import { adminJsonBody, rejectBodyProblems } from "./validation";

export interface AdminHooks {
  /** moves a declaration's state as DfE would; lives with the declarations feature */
  moveDeclarationState?: (id: string, state: string, now: Date) => Promise<unknown>;
}

/** In the docs: the admin token has its own scheme, so a provider's token and the admin token can both be pasted. */
const detail = (summary: string, description?: string) => ({
  tags: ["Admin (sandbox control)"],
  summary,
  ...(description ? { description } : {}),
  security: [{ adminToken: [] }],
});

/** Every admin route can answer these */
const refusals = { 400: BadRequest, 401: Unauthorized };
/** and a route with a body these */
const bodyRefusals = { ...refusals, 413: PayloadTooLarge, 422: Unprocessable };

/**
 * The sandbox control plane of docs/reference/sandbox-contract.md: plain JSON, admin token
 * only. The guard runs before anything else (a 401 before a 422), then
 * Elysia validates the declared schemas (see ./validation).
 */
export function adminRoutes(ctx: AppContext, hooks: AdminHooks = {}) {
  return new Elysia({ prefix: "/admin" })
    .use(adminApi(ctx))
    .use(rejectBodyProblems())
    .post("/lead-providers", async ({ body, now }) => json(await createLeadProvider(ctx.db, body.name, now), 201), {
      parse: adminJsonBody,
      body: CreateLeadProviderBody,
      response: { 201: LeadProviderCreated, ...bodyRefusals },
      detail: detail("Create a lead provider and a token for it", "The name must be new. The token is shown only in this answer (it is stored hashed)."),
    })
    .get("/lead-providers", async () => json(await listLeadProviders(ctx.db, (id, stored) => ctx.lastUsed.seen(id, stored))), {
      response: { 200: LeadProviderList, ...refusals },
      detail: detail("List lead providers and their tokens"),
    })
    .post(
      "/lead-providers/:id/api-tokens",
      async ({ params, now }) => {
        const { api_token, id } = await mintToken(ctx.db, params.id, now);
        return json({ id, api_token }, 201);
      },
      {
        parse: "none",
        params: LeadProviderParams,
        response: { 201: TokenCreated, ...refusals, 404: NotFound },
        detail: detail("Mint one more token for a lead provider"),
      },
    )
    .delete("/api-tokens/:id", async ({ params }) => json(await revokeToken(ctx.db, params.id)), {
      params: TokenParams,
      response: { 200: TokenRevoked, ...refusals, 404: NotFound, 422: Unprocessable },
      detail: detail("Revoke a token, by its id or a prefix of its SHA-256 hash", "A hash prefix that matches more than one token is refused with 422."),
    })
    .post("/participants", async ({ body, now }) => json(await createParticipant(ctx.db, body, now), 201), {
      parse: adminJsonBody,
      body: CreateParticipantBody,
      response: { 201: ParticipantCreated, ...bodyRefusals },
      detail: detail(
        "Create a participant (or a second training record for one)",
        "Omitted fields get realistic values (schedule ecf-standard-september, eligible for funding). Passing an existing `participant_id` adds a second training record.",
      ),
    })
    .post(
      "/participants/:id/transfer",
      async ({ body, params, now }) => json(await transferParticipant(ctx.db, params.id, body, now)),
      {
        parse: adminJsonBody,
        params: ParticipantParams,
        body: TransferBody,
        response: { 200: ParticipantTransferred, ...bodyRefusals, 404: NotFound },
        detail: detail(
          "Move a training record to another lead provider",
          "As when a school moves it: the new provider sees it from now on, and the old one keeps seeing it as it last did.",
        ),
      },
    )
    .put(
      "/participants/:id/induction-status",
      async ({ body, params, now }) => json(await setInductionStatus(ctx.db, params.id, body, now)),
      {
        parse: adminJsonBody,
        params: ParticipantParams,
        body: InductionStatusBody,
        response: { 200: InductionStatusSet, ...bodyRefusals, 404: NotFound },
        detail: detail("Set the induction status a school reports"),
      },
    )
    .put(
      "/participant-declarations/:id/state",
      async ({ body, params, now }) => {
        if (!hooks.moveDeclarationState) throw ApiError.notFound();
        return json(await hooks.moveDeclarationState(params.id, body.state, now));
      },
      {
        parse: adminJsonBody,
        params: DeclarationParams,
        body: DeclarationStateBody,
        response: { 200: DeclarationMoved, ...bodyRefusals, 404: NotFound },
        detail: detail(
          "Move a declaration's state as DfE does",
          "Only submitted → eligible → payable → paid and awaiting_clawback → clawed_back; other moves get 422.",
        ),
      },
    )
    .get("/clock", () => json({ now: toTimestamp(ctx.clock.now()) }), {
      response: { 200: ClockSet, ...refusals },
      detail: detail("Read the service's clock", "The instant every rule and timestamp uses now: real time, or where PUT /admin/clock moved it (a request's X-With-Server-Date header still wins for that request)."),
    })
    .put("/clock", ({ body }) => json({ now: toTimestamp(ctx.clock.set(parseClockInstant(body.now))) }), {
      parse: adminJsonBody,
      body: ClockBody,
      response: { 200: ClockSet, ...bodyRefusals },
      detail: detail(
        "Move the service's clock",
        "It runs on from the new instant. A request's own X-With-Server-Date header still wins for that request.",
      ),
    })
    .delete("/clock", () => json({ now: toTimestamp(ctx.clock.reset()) }), {
      response: { 200: ClockSet, ...refusals },
      detail: detail("Return to real time"),
    });
}
