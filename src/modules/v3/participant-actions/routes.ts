import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import type { RackParams } from "../../../http/ruby-compat";
import type { V3Caller } from "../auth/tokens";
import { v3Api } from "../auth/plugin";
import { v3Json } from "../http/envelope";
import { readWriteAttributes } from "../http/write-body";
import { ACTION_ATTRIBUTES, ActionParams, ActionQuery, actionOperation } from "./model";
import type { ParticipantAction } from "./rules";
import { performParticipantAction } from "./service";

type Context = { request: Request; caller: V3Caller; rack: RackParams; now: Date; params: { id: string } };

/**
 * `PUT /api/v3/participants/{id}/{change-schedule|defer|resume|withdraw}`
 * (config/routes/api.rb:9-15; app/controllers/api/v3/participants_controller.rb:23-73): the body's
 * `data.attributes` first (400), then the participant (404), then the service (422 or 200).
 */
export function participantActionsRoutes(ctx: AppContext) {
  const act =
    (action: ParticipantAction) =>
    async ({ request, caller, rack, now, params: { id } }: Context) => {
      const attributes = await readWriteAttributes(request, rack, ACTION_ATTRIBUTES[action], ctx.requests.of(request));
      return v3Json(await performParticipantAction(ctx.db, action, { leadProviderId: caller.leadProviderId, id, attributes, now, realNow: ctx.clock.now() }));
    };
  const options = (action: ParticipantAction) => ({ parse: "none" as const, params: ActionParams, query: ActionQuery, ...actionOperation(action) });
  return new Elysia({ prefix: "/api/v3" })
    .use(v3Api(ctx))
    .put("/participants/:id/change-schedule", act("change-schedule"), options("change-schedule"))
    .put("/participants/:id/defer", act("defer"), options("defer"))
    .put("/participants/:id/resume", act("resume"), options("resume"))
    .put("/participants/:id/withdraw", act("withdraw"), options("withdraw"));
}
