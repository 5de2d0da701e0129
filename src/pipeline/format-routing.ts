import type { AnyElysia } from "elysia";
import { ApiError } from "../errors";
import { splitFormat } from "../http/format";
import type { Requests } from "../http/request-info";
import { isV3Path } from "../modules/v3/http/envelope";
import { v3RouteNotFound } from "../modules/v3/http/server-date";
import { renderError } from "./error-rendering";

/**
 * Rails' `(.:format)` on /api/v2/ (src/http/format.ts): a path with a
 * `.<ext>` suffix is routed again, through the whole app, without it; the
 * copy shares the client request's RequestInfo with the format in it. A path
 * Journey cannot match is the 404. Both are answered here, so the logs are
 * told here, once, as the client sent the request.
 */
export function formatRoutingPlugin(requests: Requests) {
  return <A extends AnyElysia>(app: A) =>
    app.onRequest(function formatRouting({ request }) {
      const info = requests.get(request)!;
      // v3 too: RECT's routes are Rails `resources` with `(.:format)` (docs/reference/rect/rules.md §1); its controllers ignore the format
      const v3 = isV3Path(info.path);
      if ((!info.path.startsWith("/api/v2/") && !v3) || requests.isCopy(request, info)) return;
      const split = splitFormat(request.method, info.path);
      if (split.kind === "as-is") return;
      if (split.kind === "no-route") {
        return renderError(request, info, v3 ? v3RouteNotFound(request) : ApiError.notFound()).then(async (response) => {
          await requests.answered(request, info, 404);
          return response;
        });
      }
      const url = request.url;
      const start = url.indexOf(info.path, url.indexOf("//") + 2);
      const query = url.indexOf("?", start);
      const copy = new Request(url.slice(0, start) + split.path + (query < 0 ? "" : url.slice(query)), request);
      info.format = split.format;
      requests.share(copy, info);
      return app.handle(copy).then(async (response) => {
        await requests.answered(request, info, response.status);
        return response;
      });
    }) as A;
}
