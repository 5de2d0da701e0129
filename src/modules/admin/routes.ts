import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { ApiError } from "../../errors";
import { json, readJsonObject } from "../../http/json-api";
import { validateBody } from "../../http/validate";
import { CLOCK_YEARS, inClockRange, parseRfc3339 } from "../../clock";
import { calendarDateExists, toTimestamp } from "../../lib/time";
import { adminApi } from "../auth/plugin";
import {
  ClockBody,
  CreateLeadProviderBody,
  CreateParticipantBody,
  DeclarationStateBody,
  InductionStatusBody,
  TransferBody,
} from "./model";
import {
  createLeadProvider,
  createParticipant,
  listLeadProviders,
  mintToken,
  revokeToken,
  setInductionStatus,
  transferParticipant,
} from "./service";

export interface AdminHooks {
  /** moves a declaration's state as DfE would; lives with the declarations feature */
  moveDeclarationState?: (id: string, state: string, now: Date) => Promise<unknown>;
}

const detail = (summary: string) => ({ detail: { tags: ["Admin (sandbox control)"], summary } });

/** The sandbox control plane of sandbox-contract.md: plain JSON, admin token only. */
export function adminRoutes(ctx: AppContext, hooks: AdminHooks = {}) {
  return new Elysia({ prefix: "/admin" })
    .use(adminApi(ctx))
    .post(
      "/lead-providers",
      async ({ request, now }) => {
        const body = validateBody(CreateLeadProviderBody, await readJsonObject(request));
        return json(await createLeadProvider(ctx.db, body.name, now), 201);
      },
      { parse: "none", ...detail("Create a lead provider and a token for it") },
    )
    .get("/lead-providers", async () => json(await listLeadProviders(ctx.db, (id, stored) => ctx.lastUsed.seen(id, stored))), detail("List lead providers and their tokens"))
    .post(
      "/lead-providers/:id/api-tokens",
      async ({ params, now }) => {
        const { api_token, id } = await mintToken(ctx.db, params.id, now);
        return json({ id, api_token }, 201);
      },
      { parse: "none", ...detail("Mint one more token for a lead provider") },
    )
    .delete(
      "/api-tokens/:id",
      async ({ params }) => json(await revokeToken(ctx.db, params.id)),
      detail("Revoke a token, by its id or a prefix of its SHA-256 hash"),
    )
    .post(
      "/participants",
      async ({ request, now }) => {
        const body = validateBody(CreateParticipantBody, await readJsonObject(request));
        return json(await createParticipant(ctx.db, body, now), 201);
      },
      { parse: "none", ...detail("Create a participant (or a second training record for one)") },
    )
    .post(
      "/participants/:id/transfer",
      async ({ request, params, now }) => {
        const body = validateBody(TransferBody, await readJsonObject(request));
        return json(await transferParticipant(ctx.db, params.id, body, now));
      },
      { parse: "none", ...detail("Move a training record to another lead provider") },
    )
    .put(
      "/participants/:id/induction-status",
      async ({ request, params, now }) => {
        const body = validateBody(InductionStatusBody, await readJsonObject(request));
        return json(await setInductionStatus(ctx.db, params.id, body, now));
      },
      { parse: "none", ...detail("Set the induction status a school reports") },
    )
    .put(
      "/participant-declarations/:id/state",
      async ({ request, params, now }) => {
        const body = validateBody(DeclarationStateBody, await readJsonObject(request));
        if (!hooks.moveDeclarationState) throw ApiError.notFound();
        return json(await hooks.moveDeclarationState(params.id, body.state, now));
      },
      { parse: "none", ...detail("Move a declaration's state as DfE does") },
    )
    .put(
      "/clock",
      async ({ request }) => {
        const body = validateBody(ClockBody, await readJsonObject(request));
        const instant = parseRfc3339(body.now) ?? parseIsoLoose(body.now);
        if (!instant) throw ApiError.unprocessable("now", "must be an ISO 8601 date-time of a day that exists, e.g. 2025-01-10T10:42:00Z");
        if (!inClockRange(instant)) throw ApiError.badRequest(`must be in the years ${CLOCK_YEARS.from} to ${CLOCK_YEARS.to}`, "now");
        return json({ now: toTimestamp(ctx.clock.set(instant)) });
      },
      { parse: "none", ...detail("Move the service's clock") },
    )
    .delete("/clock", () => json({ now: toTimestamp(ctx.clock.reset()) }), detail("Return to real time"));
}

/** ISO 8601 without a zone (taken as UTC) or a plain date (midnight UTC). */
function parseIsoLoose(value: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(value.trim());
  if (!m || !calendarDateExists(Number(m[1]!.slice(0, 4)), Number(m[1]!.slice(5, 7)), Number(m[1]!.slice(8, 10)))) return null;
  const date = new Date(`${m[1]}T${m[2] ?? "00:00:00"}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
