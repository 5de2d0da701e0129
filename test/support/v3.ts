/**
 * Building a v3 (RECT) world in a test: POST a scenario document
 * (docs/reference/rect/control-plane.md §3) through the admin API and get its refs; call /api/v3
 * with a ref's token.
 */
import type { RequestOptions, TestApp } from "./app";

export type Refs = Record<string, Record<string, any>>;

/** POST /admin/v3/scenarios; throws unless 201. */
export async function v3Scenario(t: TestApp, document: Record<string, unknown>): Promise<Refs> {
  const r = await t.admin("POST", "/admin/v3/scenarios", document);
  if (r.status !== 201) throw new Error(`v3Scenario: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.refs;
}

/** A request through `app.handle`: the status, the body as text and parsed (null when it is not JSON), the content type. */
export async function v3Call(t: TestApp, method: string, path: string, options: RequestOptions = {}) {
  const response = await t.request(method, path, options);
  const text = await response.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, text, body, type: response.headers.get("content-type"), response };
}

/** GET on /api/v3 with a token (v3Call's answer). */
export const v3Get = (t: TestApp, path: string, token: string | null, headers: Record<string, string> = {}) => v3Call(t, "GET", path, { token, headers });

/** POST /api/v3/participant-declarations with these attributes (v3Call's answer). */
export const postDeclaration = (t: TestApp, token: string, attributes: Record<string, unknown>, headers: Record<string, string> = {}) =>
  v3Call(t, "POST", "/api/v3/participant-declarations", { token, headers, body: { data: { type: "participant-declaration", attributes } } });

/** RECT's `{"errors":[…]}` text from `[title, detail]` pairs. */
export const errorsText = (...items: [string, string][]) => JSON.stringify({ errors: items.map(([title, detail]) => ({ title, detail })) });

/** The declaration with that id in GET /admin/v3/world's answer; throws when there is none. */
export function declarationIn(world: any, apiId: string): any {
  for (const teacher of world.teachers)
    for (const period of [...(teacher.ect_periods ?? []), ...(teacher.mentor_periods ?? [])])
      for (const training of period.training ?? []) for (const x of training.declarations ?? []) if (x.id === apiId) return x;
  throw new Error(`no declaration ${apiId}`);
}

/** A lead provider active in `cohorts`, as a scenario item. */
export const lp = (ref: string, cohorts: number[] = [2024, 2025], extra: Record<string, unknown> = {}) => ({ ref, name: `Provider ${ref} ${crypto.randomUUID().slice(0, 8)}`, cohorts, ...extra });

/** A scenario document's statement: deadline on the 1st and payment on the 25th of its month. */
export const statement = (ref: string, lead: string, cohort: number, month: number, year: number, extra: Record<string, unknown> = {}) => ({
  ref,
  lead_provider: lead,
  cohort,
  month,
  year,
  deadline_date: `${year}-${String(month).padStart(2, "0")}-01`,
  payment_date: `${year}-${String(month).padStart(2, "0")}-25`,
  ...extra,
});
