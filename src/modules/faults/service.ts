/**
 * The fault table: the rules of POST /admin/faults, in creation order, with
 * their counts and their generators' states. Kept in the app's context (one
 * per app), never in the database: rules are settings, like the clock, so a
 * snapshot restore leaves them as they are.
 */
import { ApiError } from "../../errors";
import { newId } from "../../lib/ids";
import { type Fault, type FaultKind, type FaultMark, checkFault, checkRuleSettings, nextDraw, pathPattern } from "./rules";

export interface FaultMatch {
  method?: string;
  path?: string;
  lead_provider_id?: string;
}

export interface NewFaultRule {
  match?: FaultMatch;
  fault: { kind: string; status?: number; ms?: number; when?: string };
  times?: number;
  probability?: number;
  seed?: number;
}

interface FaultRule {
  id: string;
  match: FaultMatch;
  fault: Fault;
  times: number;
  probability: number;
  seed: number;
  /** null: until deleted (`times: 0`) */
  remaining: number | null;
  hits: number;
  pattern: RegExp | null;
  /** the generator's state: the seed, then one step per draw */
  draw: number;
}

/** A rule as the admin API shows it */
function shown(rule: FaultRule) {
  return {
    id: rule.id,
    match: rule.match,
    fault: rule.fault,
    times: rule.times,
    probability: rule.probability,
    seed: rule.seed,
    remaining: rule.remaining,
    hits: rule.hits,
  };
}

export interface ChosenFault {
  fault: Fault;
  mark: FaultMark;
}

export class FaultTable {
  private rules: FaultRule[] = [];
  /** the `delay` or `reset` after the write of each request being handled under one */
  private held = new WeakMap<Request, Fault>();

  /** true when no rule can fault anything: the request pipeline then only looks for the header */
  get empty(): boolean {
    return this.rules.length === 0;
  }

  add(input: NewFaultRule) {
    const match = input.match ?? {};
    checkRuleSettings({ path: match.path, probability: input.probability });
    const fault = checkFault(input.fault);
    const times = input.times ?? 1;
    const seed = input.seed ?? 0;
    const rule: FaultRule = {
      id: newId(),
      match: {
        ...(match.method !== undefined ? { method: match.method.toUpperCase() } : {}),
        ...(match.path !== undefined ? { path: match.path } : {}),
        ...(match.lead_provider_id !== undefined ? { lead_provider_id: match.lead_provider_id } : {}),
      },
      fault,
      times,
      probability: input.probability ?? 1,
      seed,
      remaining: times === 0 ? null : times,
      hits: 0,
      pattern: match.path === undefined ? null : pathPattern(match.path),
      draw: seed | 0,
    };
    this.rules.push(rule);
    return shown(rule);
  }

  list() {
    return { data: this.rules.map(shown) };
  }

  remove(id: string) {
    const index = this.rules.findIndex((rule) => rule.id === id);
    if (index < 0) throw ApiError.errors(404, [{ title: "Not found", detail: `No fault rule ${id}` }]);
    const [rule] = this.rules.splice(index, 1);
    return { id: rule!.id, deleted: true as const };
  }

  clear() {
    const deleted = this.rules.length;
    this.rules = [];
    return { deleted };
  }

  private live(method: string, path: string): FaultRule[] {
    return this.rules.filter(
      (rule) =>
        rule.remaining !== 0 &&
        (rule.match.method === undefined || rule.match.method === method) &&
        (rule.pattern === null || rule.pattern.test(path)),
    );
  }

  /** whether choosing for this request needs its lead provider (a live rule matches on it) */
  needsProvider(method: string, path: string): boolean {
    return this.live(method, path).some((rule) => rule.match.lead_provider_id !== undefined);
  }

  /**
   * The fault this request gets from the rules, or null. The rules are tried
   * in creation order; a rule with a probability draws once for each request
   * it matches (so a given sequence of requests gets the same faults on every
   * run), and a draw that misses leaves the request to the next rule.
   */
  choose(method: string, path: string, providerId: string | null): ChosenFault | null {
    for (const rule of this.live(method, path)) {
      if (rule.match.lead_provider_id !== undefined && rule.match.lead_provider_id !== providerId) continue;
      if (rule.probability < 1) {
        const { state, value } = nextDraw(rule.draw);
        rule.draw = state;
        if (value >= rule.probability) continue;
      }
      if (rule.remaining !== null) rule.remaining--;
      rule.hits++;
      return { fault: rule.fault, mark: { rule_id: rule.id, kind: rule.fault.kind } };
    }
    return null;
  }

  /** a request handled under a fault that acts on its answer (`delay`, `reset` after the write) */
  holdAnswer(request: Request, fault: Fault): void {
    this.held.set(request, fault);
  }

  heldAnswer(request: Request): Fault | undefined {
    return this.held.get(request);
  }
}

export type { FaultKind, FaultMark };
