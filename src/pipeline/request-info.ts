import { Elysia } from "elysia";
import type { Requests } from "../http/request-info";

/**
 * First in the pipeline: every answer, errors and the docs included, says
 * `nosniff` (browsers must not guess a type, issue 14), and every request
 * gets its RequestInfo. A copy routed again (format routing) has its
 * client request's already.
 */
export function requestInfoPlugin(requests: Requests) {
  return new Elysia().onRequest(function requestInfo({ request, set }) {
    set.headers["x-content-type-options"] = "nosniff";
    if (requests.get(request) === undefined) requests.arrive(request);
  });
}
