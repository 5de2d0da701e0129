/**
 * Building a v3 (RECT) world in a test: POST a scenario document
 * (docs/reference/rect/control-plane.md §3) through the admin API and get its refs; call /api/v3
 * with a ref's token.
 */
import type { TestApp } from "./app";

export type Refs = Record<string, Record<string, any>>;

/** POST /admin/v3/scenarios; throws unless 201. */
export async function v3Scenario(t: TestApp, document: Record<string, unknown>): Promise<Refs> {
  const r = await t.admin("POST", "/admin/v3/scenarios", document);
  if (r.status !== 201) throw new Error(`v3Scenario: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.refs;
}

/** GET (or another method) on /api/v3 with a token; the body as text and parsed. */
export async function v3Get(t: TestApp, path: string, token: string | null, headers: Record<string, string> = {}) {
  const response = await t.request("GET", path, { token, headers });
  const text = await response.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, text, body, type: response.headers.get("content-type"), response };
}

/** A lead provider active in `cohorts`, as a scenario item. */
export const lp = (ref: string, cohorts: number[] = [2024, 2025], extra: Record<string, unknown> = {}) => ({ ref, name: `Provider ${ref} ${crypto.randomUUID().slice(0, 8)}`, cohorts, ...extra });
