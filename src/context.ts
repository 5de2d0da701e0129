import type { Db } from "../db/connection";
import { GroupCommit } from "../db/group-commit";
import type { WriteCounter } from "../db/write-counter";
import { Clock } from "./clock";
import { DEFAULT_REQUEST_LOG_SIZE } from "./config";
import { LoopShare } from "./http/csv";
import { FixedWindowRateLimiter } from "./http/rate-limit";
import { RequestGate } from "./http/request-gate";
import { Requests, pathOf } from "./http/request-info";
import { ResponseCache } from "./http/response-cache";
import { TokenOwnerCache } from "./modules/auth/owner-cache";
import { LastUsedRecorder } from "./modules/auth/tokens";
import type { PageEnds } from "./modules/participants/read-model";
import { FaultTable } from "./modules/faults/service";
import { RequestLog } from "./modules/request-log/service";
import { MemorySnapshotStore, SnapshotBase, type SnapshotStore } from "./modules/snapshots/store";
import type { V3Caller } from "./modules/v3/auth/tokens";

export type { RequestInfo } from "./http/request-info";

/** What `createApp` is built from (the server and the tests give it). */
export interface AppDeps {
  db: Db;
  clock?: Clock;
  /** the live throttle; on unless switched off (RATE_LIMIT=off) */
  rateLimit?: boolean | FixedWindowRateLimiter;
  /** counts writes through `db`; with it (and `dataVersion`), tokens' owners are remembered until the next write, and repeated GETs are answered from a cache unless `responseCache` is false */
  writes?: WriteCounter;
  /** the response cache (RESPONSE_CACHE); on by default when `writes` is given */
  responseCache?: boolean;
  /** SQLite's data_version off the raw handle (see OpenDatabase) */
  dataVersion?: () => number;
  /** where the one-JSON-line-per-request log goes; none when omitted */
  log?: (line: string) => void;
  /** how many /api/ requests the request log keeps (REQUEST_LOG_SIZE); 0 = off; default 10000 */
  requestLogSize?: number;
  /** where snapshots live: files beside the database; in memory when omitted */
  snapshots?: SnapshotStore;
  /** RECT_STATEMENTS: new v3 lead providers get the seeded statement calendar (default true) */
  rectStatements?: boolean;
  /** what is wrong with the database file (deleted, replaced, read-only), for /healthz; none = nothing checked */
  fileProblem?: () => string | null;
}

/** What every feature module needs; built once per app by `createContext`. */
export interface AppContext {
  db: Db;
  clock: Clock;
  lastUsed: LastUsedRecorder;
  /** every request being answered, each with its one RequestInfo (src/http/request-info.ts) */
  requests: Requests;
  /** the live throttle on /api/; null when off */
  rateLimiter: FixedWindowRateLimiter | null;
  /** RECT's 1500 requests per 5 minutes per IP on /api/v3 (docs/reference/rect/rules.md §2.3, docs/reference/rect/control-plane.md §2); null when off */
  v3IpLimiter: FixedWindowRateLimiter | null;
  /** the last REQUEST_LOG_SIZE /api/ requests; null when off */
  requestLog: RequestLog | null;
  /** the one-JSON-line-per-request log (LOG_REQUESTS); undefined when off */
  log: ((line: string) => void) | undefined;
  /** declaration POSTs arriving together share one commit */
  groupCommit: GroupCommit;
  /** a snapshot restore runs with no request in flight */
  gate: RequestGate;
  /** saved states (PUT /admin/snapshots/{name}) */
  snapshots: SnapshotStore;
  /** the snapshot the database last equalled, for restores that write back only the changed rows */
  snapshotBase: SnapshotBase;
  /** repeated GET answers until the next write; null when off */
  cache: ResponseCache | null;
  /** tokens' owners until the next write, with or without the response cache; null without a write counter */
  tokenOwners: TokenOwnerCache | null;
  /** v3 (RECT) tokens' owners until the next write; null without a write counter */
  v3Callers: TokenOwnerCache<V3Caller> | null;
  /** v3 tokens' last uses, written in the background */
  v3LastUsed: LastUsedRecorder;
  /** RECT_STATEMENTS: a new v3 lead provider gets the seeded statement calendar (false: none) */
  v3Statements: boolean;
  /** where the participants list's pages ended, per provider and database version */
  pageEnds: PageEnds;
  /** CSV exports take turns on the event loop with everything else */
  loopShare: LoopShare;
  /** the fault rules (POST /admin/faults): settings, kept across snapshot restores */
  faults: FaultTable;
  /** what is wrong with the database file, for /healthz; null = nothing */
  fileProblem: () => string | null;
  /** one JSON line on stderr: a failure, with the request it happened in (never a token, never a stack to the client) */
  logError(request: Request, fields: Record<string, unknown>): void;
}

/** One JSON line on stderr for a failure of the service (not of a request). */
function errorLine(fields: Record<string, unknown>): void {
  console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", ...fields }));
}

/** Everything the app remembers between requests, built from its deps. */
export function createContext(deps: AppDeps): AppContext {
  const requestLogSize = deps.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE;
  const requests = new Requests();
  return {
    db: deps.db,
    clock: deps.clock ?? new Clock(),
    lastUsed: new LastUsedRecorder(deps.db, undefined, errorLine),
    requests,
    rateLimiter: deps.rateLimit === false ? null : deps.rateLimit instanceof FixedWindowRateLimiter ? deps.rateLimit : new FixedWindowRateLimiter(),
    // a limiter given by a test stands alone: no IP backstop beside it
    v3IpLimiter: deps.rateLimit === false || deps.rateLimit instanceof FixedWindowRateLimiter ? null : new FixedWindowRateLimiter(1500),
    requestLog: requestLogSize > 0 ? new RequestLog(requestLogSize) : null,
    log: deps.log,
    gate: new RequestGate(),
    snapshots: deps.snapshots ?? new MemorySnapshotStore(),
    snapshotBase: new SnapshotBase(),
    cache: deps.writes && deps.responseCache !== false ? new ResponseCache(deps.db, deps.writes, deps.dataVersion) : null,
    tokenOwners: deps.writes && deps.dataVersion ? new TokenOwnerCache(deps.writes, deps.dataVersion) : null,
    v3Callers: deps.writes && deps.dataVersion ? new TokenOwnerCache<V3Caller>(deps.writes, deps.dataVersion) : null,
    v3LastUsed: new LastUsedRecorder(deps.db, undefined, errorLine, "rect_api_tokens"),
    v3Statements: deps.rectStatements !== false,
    groupCommit: new GroupCommit(deps.db),
    pageEnds: new Map(),
    loopShare: new LoopShare(),
    faults: new FaultTable(),
    fileProblem: deps.fileProblem ?? (() => null),
    logError(request, fields) {
      const info = requests.get(request);
      errorLine({ request_id: info?.requestId, method: request.method, path: info?.path ?? pathOf(request.url), ...fields });
    },
  };
}
