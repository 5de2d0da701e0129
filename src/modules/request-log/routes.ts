import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { adminApi } from "../auth/plugin";
import { Unauthorized } from "../admin/model";
import { adminJsonBody, rejectBodyProblems } from "../admin/validation";
import { Cleared, CurlText, ErrorsBody, FindAnswer, FindBody, HarDocument, RequestIdParams, RequestList, RequestListQuery, RequestOne } from "./model";
import { curlCommand, findRequests, harLog, listRequests, showRequest } from "./service";

const detail = (summary: string, description?: string) => ({ tags: ["Admin (sandbox control)"], summary, description });

/** The request log's admin calls (docs/reference/sandbox-contract.md, "Request log"); admin token only. */
export function requestLogRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/admin" })
    .use(adminApi(ctx))
    .use(rejectBodyProblems())
    .get(
      "/requests.har",
      async ({ query }) =>
        new Response(JSON.stringify(await harLog(ctx.db, ctx.requestLog, query)), {
          headers: { "content-type": "application/json", "content-disposition": 'attachment; filename="requests.har"' },
        }),
      {
        query: RequestListQuery,
        response: { 200: HarDocument, 401: Unauthorized, 422: ErrorsBody },
        detail: detail("The request log as HAR 1.2", "The same filters as GET /admin/requests (newest `limit`, listed oldest first); the Authorization value is replaced by `Bearer $TOKEN`. Opens in a browser's network panel or any HAR viewer."),
      },
    )
    .post("/requests/find", ({ body }) => findRequests(ctx.db, ctx.requestLog, body), {
      parse: adminJsonBody,
      body: FindBody,
      response: { 200: FindAnswer, 401: Unauthorized, 422: ErrorsBody },
      detail: detail(
        "Find requests in the log (assertions for test code)",
        "`count` is every match in the log; `data` the newest `limit` (default 100). `path` is a pattern where `*` matches any run of characters; `status` a code or a class (`4xx`); `request_body` a JSON value the request's JSON body must contain (objects: every key given, recursively; arrays and scalars: equal). A request is in the log before its answer is sent.",
      ),
    })
    .get(
      "/requests/:id/curl",
      ({ params }) => new Response(curlCommand(ctx.requestLog, params.id), { headers: { "content-type": "text/plain; charset=utf-8" } }),
      {
        params: RequestIdParams,
        response: { 200: CurlText, 401: Unauthorized, 404: ErrorsBody },
        detail: detail("One request as a curl command", "`curl -g`, with `$TOKEN` where the token was: set TOKEN and run it to send the same request again."),
      },
    )
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
