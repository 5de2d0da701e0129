import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { adminApi } from "../auth/plugin";
import { Cleared, ErrorsBody, RequestIdParams, RequestList, RequestListQuery, RequestOne } from "./model";
import { listRequests, showRequest } from "./service";

const detail = (summary: string, description?: string) => ({ tags: ["Admin (sandbox control)"], summary, description });

/** The request log's admin calls (sandbox-contract.md, "Request log"); admin token only. */
export function requestLogRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/admin" })
    .use(adminApi(ctx))
    .get("/requests", ({ query }) => listRequests(ctx.db, ctx.requestLog, query), {
      query: RequestListQuery,
      response: { 200: RequestList, 422: ErrorsBody },
      detail: detail(
        "The request log, newest first",
        "Every request to /api/ (the last REQUEST_LOG_SIZE, default 10000; 0 = off), with its bodies (first 64 KiB) and the refusal reasons. No token is ever stored.",
      ),
    })
    .get("/requests/:id", ({ params }) => showRequest(ctx.db, ctx.requestLog, params.id), {
      params: RequestIdParams,
      response: { 200: RequestOne, 404: ErrorsBody },
      detail: detail("One request of the request log"),
    })
    .delete(
      "/requests",
      () => ({ deleted: ctx.requestLog?.clear() ?? 0 }),
      { response: { 200: Cleared }, detail: detail("Empty the request log") },
    );
}
