/**
 * Everything the sandbox keeps about one request while it is answered, in
 * one object per client request (a copy routed again without its `.<ext>`
 * suffix shares it, src/http/format.ts). The request pipeline (src/pipeline/)
 * makes it on arrival; handlers and helpers read and fill it.
 */
import type { ApiError } from "../errors";

/** what the request log says of a fault a request got on purpose (src/modules/faults/) */
export interface FaultMark {
  rule_id: string | null;
  kind: "status" | "delay" | "timeout" | "reset" | "rate_limit";
}

export interface RequestInfo {
  /** the URL as the client sent it */
  url: string;
  /** its path (no query) */
  path: string;
  /** a path under /api/ (rate limit, request log, faults) */
  api: boolean;
  /** performance.now() on arrival */
  start: number;
  /** Date.now() on arrival */
  time: number;
  /** the request log's id, given on arrival; 0 when not recorded */
  id: number;
  /** recorded in the request log (an /api/ request while the log is on) */
  logged: boolean;
  /** the JSON line's request id (LOG_REQUESTS) */
  requestId?: string;
  /** set by authentication */
  providerId?: string;
  /** what authentication found the token to be (the request log shows it; never the token); unset: not checked */
  tokenKind?: "none" | "unknown" | "lead_provider" | "admin" | "v3_lead_provider";
  /** the Rails format of a request routed again without its `.<ext>` (src/http/format.ts); absent = json */
  format?: string;
  /** that copy, routed again (it shares this info; its answer is logged once, as the client's request) */
  copy?: Request;
  /** answered: the logs have it (once per client request) */
  done?: boolean;
  /** the body text as the handler read it (readBodyText), for the request log */
  bodyText?: string;
  /** the error that rendered the answer */
  error?: ApiError;
  /** the JSON of the answer, as text or UTF-8 bytes, when the handler had it (reads); the log keeps a reference */
  responseText?: string | Uint8Array;
  /** the answer's content type, for the request log's HAR */
  responseType?: string;
  /** a copy of any other answer, read after it was sent */
  responseCopy?: Response;
  /** the database version as the request first saw it (auth and the answer share one look; src/http/response-cache.ts) */
  dbVersion?: Promise<string>;
  /** counted inside the snapshot gate (src/http/request-gate.ts) */
  inGate?: boolean;
  /** its answer is still streaming: it leaves the gate when the stream ends */
  streaming?: boolean;
  /**
   * The fault it got on purpose (src/modules/faults/), for the request log:
   * whoever makes a request fail on purpose sets `info.fault = {rule_id, kind}`
   * before the request is answered, and the log copies it into the record's
   * `"fault"` (null when unset).
   */
  fault?: FaultMark;
}

/** Told once per client request when its status is known (the JSON line, the request log). */
export type AnswerListener = (request: Request, info: RequestInfo, status: number) => void | Promise<void>;

/** The path of a request URL, without building a URL object. */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start < 0 ? "/" : end < 0 ? url.slice(start) : url.slice(start, end);
}

/** The requests of one app being answered, each with its RequestInfo; one per app (its context). */
export class Requests {
  private readonly infos = new WeakMap<Request, RequestInfo>();
  private readonly listeners: AnswerListener[] = [];

  /** the facts of a request that just arrived */
  arrive(request: Request): RequestInfo {
    const url = request.url;
    const path = pathOf(url);
    const info: RequestInfo = { url, path, api: path.startsWith("/api/"), start: performance.now(), time: Date.now(), id: 0, logged: false };
    this.infos.set(request, info);
    return info;
  }

  get(request: Request): RequestInfo | undefined {
    return this.infos.get(request);
  }

  /** the request's info; made now for a request that did not come through the pipeline */
  of(request: Request): RequestInfo {
    return this.infos.get(request) ?? this.arrive(request);
  }

  /** `copy` (the request routed again) shares the client request's info */
  share(copy: Request, info: RequestInfo): void {
    info.copy = copy;
    this.infos.set(copy, info);
  }

  /** true for the copy of a request routed again: the pipeline has seen its client request already */
  isCopy(request: Request, info: RequestInfo): boolean {
    return info.copy === request;
  }

  onAnswered(listener: AnswerListener): void {
    this.listeners.push(listener);
  }

  /**
   * The client request is answered with `status` (an error rendered
   * earlier wins: its status is the answer's): the listeners are told, once.
   * The promise, when one is returned, ends when they are all done.
   */
  answered(request: Request, info: RequestInfo, status: number): Promise<void> | undefined {
    if (info.done) return undefined;
    info.done = true;
    const final = info.error ? info.error.status : status;
    let waits: Promise<void>[] | undefined;
    for (const listener of this.listeners) {
      const wait = listener(request, info, final);
      if (wait) (waits ??= []).push(wait);
    }
    return waits ? Promise.all(waits).then(() => undefined) : undefined;
  }
}
