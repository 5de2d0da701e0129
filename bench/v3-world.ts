/**
 * The RECT (v3) world `make bench` measures: one lead provider (token BENCH_V3_TOKEN) active in
 * 2024 and 2025, one delivery partner, 50 schools each in partnership for both cohorts, and
 * V3_TEACHERS teachers, each an ECT at one school with a provider-led training period on that
 * school's partnership; every fifth one is also a mentor there. Built through the control plane
 * (POST /admin/v3/scenarios, docs/reference/rect/control-plane.md §3) in chunks under the 1 MiB
 * body limit, so the bench measures what a provider's world really looks like.
 */
export const BENCH_V3_TOKEN = "bench-v3-token-0123456789abcdef";
export const V3_TEACHERS = 10_000;
const SCHOOLS = 50;
const CHUNK = 1_000;

async function post(url: string, adminToken: string, document: unknown): Promise<any> {
  const r = await fetch(`${url}/admin/v3/scenarios`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(document),
  });
  const body = (await r.json()) as any;
  if (r.status !== 201) throw new Error(`POST /admin/v3/scenarios → ${r.status} ${JSON.stringify(body).slice(0, 400)}`);
  return body.refs;
}

/** Loads the world unless the bench token already works on /api/v3 (a `--reuse` database). */
export async function ensureV3World(url: string, adminToken: string, onProgress?: (done: number, total: number) => void): Promise<{ participantIds: string[] }> {
  const probe = await fetch(`${url}/api/v3/statements`, { headers: { authorization: `Bearer ${BENCH_V3_TOKEN}` } });
  if (probe.status === 200) {
    const ids: string[] = [];
    const page = await fetch(`${url}/api/v3/participants?page[per_page]=100&page[page]=50`, { headers: { authorization: `Bearer ${BENCH_V3_TOKEN}` } });
    for (const p of ((await page.json()) as any).data ?? []) ids.push(p.id);
    return { participantIds: ids };
  }
  const schools = Array.from({ length: SCHOOLS }, (_, i) => ({ ref: `s${i}`, urn: String(700000 + i), name: `Bench School ${i}`, eligible: true }));
  const partnerships = schools.flatMap((s, i) => [2024, 2025].map((cohort) => ({ ref: `p${i}_${cohort}`, school: s.ref, lead_provider: "lp", delivery_partner: "dp", cohort })));
  const base = await post(url, adminToken, {
    lead_providers: [{ ref: "lp", name: "Bench v3 provider", cohorts: [2024, 2025], api_token: BENCH_V3_TOKEN }],
    delivery_partners: [{ ref: "dp", name: "Bench delivery partner", partnered_with: [{ lead_provider: "lp", cohorts: [2024, 2025] }] }],
    schools,
    partnerships,
  });
  const participantIds: string[] = [];
  for (let from = 0; from < V3_TEACHERS; from += CHUNK) {
    const teachers = Array.from({ length: Math.min(CHUNK, V3_TEACHERS - from) }, (_, k) => {
      const n = from + k;
      const school = n % SCHOOLS;
      const cohort = n % 2 === 0 ? 2024 : 2025;
      const partnership = { id: base[`p${school}_${cohort}`].id };
      const schoolRef = { id: base[`s${school}`].id };
      const training = (ref: string) => [{ ref, programme: "provider_led", partnership, started_on: cohort === 2024 ? "2024-09-10" : "2025-09-10" }];
      return {
        ref: `t${n}`,
        trn: String(3000000 + n),
        first_name: `Bench${n}`,
        last_name: "Teacher",
        ect_periods: [{ school: schoolRef, started_on: cohort === 2024 ? "2024-09-01" : "2025-09-01", email: `ect${n}@example.com`, working_pattern: "full_time", training: training(`t${n}e`) }],
        mentor_periods: n % 5 === 0 ? [{ school: schoolRef, started_on: "2024-09-01", email: `mentor${n}@example.com`, training: training(`t${n}m`) }] : [],
      };
    });
    const refs = await post(url, adminToken, { teachers });
    for (const t of teachers) participantIds.push(refs[t.ref].id);
    onProgress?.(Math.min(from + CHUNK, V3_TEACHERS), V3_TEACHERS);
  }
  return { participantIds };
}
