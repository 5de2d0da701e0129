import type { Db } from "../db/connection";
import type { GroupCommit } from "../db/group-commit";
import type { Clock } from "./clock";
import type { ApiError } from "./errors";
import type { LoopShare } from "./http/csv";
import type { ResponseCache } from "./http/response-cache";
import type { RequestGate } from "./http/request-gate";
import type { TokenOwnerCache } from "./modules/auth/owner-cache";
import type { LastUsedRecorder } from "./modules/auth/tokens";
import type { PageEnds } from "./modules/participants/read-model";
import type { FaultTable } from "./modules/faults/service";
import type { RequestLog } from "./modules/request-log/service";
import type { SnapshotBase, SnapshotStore } from "./modules/snapshots/store";

/** Per-request facts the two logs read, kept only while a log is on. */
export interface RequestInfo {
  /** set by authentication */
  providerId?: string;
  /** performance.now() on arrival */
  start: number;
  /** Date.now() on arrival */
  time: number;
  /** the request log's id, given on arrival */
  id: number;
  /** the URL as the client sent it */
  url: string;
  /** logged already (a request routed again shares its info) */
  done?: boolean;
  /** the JSON line's request id (LOG_REQUESTS) */
  requestId?: string;
  /** recorded in the request log (an /api/ request while the log is on) */
  logged: boolean;
  /** the error that rendered the answer */
  error?: ApiError;
  /** the JSON of the answer, as text or UTF-8 bytes, when the handler had it (reads); the log keeps a reference */
  responseText?: string | Uint8Array;
  /** a copy of any other answer, read after it was sent */
  responseCopy?: Response;
}

/** What every feature module needs; built once by `createApp`. */
export interface AppContext {
  db: Db;
  clock: Clock;
  lastUsed: LastUsedRecorder;
  /** per-request facts the logger reads (provider id), keyed by the Request */
  requestInfo: WeakMap<Request, RequestInfo>;
  /** the last REQUEST_LOG_SIZE /api/ requests; null when off */
  requestLog: RequestLog | null;
  /** the Rails format of a request routed without its `.<ext>` suffix (src/http/format.ts); absent = json */
  formats: WeakMap<Request, string>;
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
  /** where the participants list's pages ended, per provider and database version */
  pageEnds: PageEnds;
  /** the fault rules (POST /admin/faults): settings, kept across snapshot restores */
  faults: FaultTable;
  /** CSV exports take turns on the event loop with everything else */
  loopShare: LoopShare;
  /** one JSON line on stderr: a failure, with the request it happened in (never a token, never a stack to the client) */
  logError(request: Request, fields: Record<string, unknown>): void;
}
