/**
 * The built-in v3 demo world (docs/reference/rect/control-plane.md §2), loaded on a database
 * whose RECT world is empty unless SEED=none: RECT's seven seeded lead
 * providers (lead-providers.csv) with their cohorts and RECT's own
 * development tokens (`ambition-institute`, …: app/services/api_seed_data/api_tokens.rb:9),
 * three delivery partners, six schools, a partnership per provider in its
 * latest cohort, and per provider two ECTs and a mentor training under it
 * (one ECT mentored, one with a `started` declaration). Ids are stable, so
 * two demo databases agree; dates are relative to the clock at seeding.
 */
import { rectSeedLeadProviders } from "../../../../db/rect-reference-data";
import { stableUuid } from "../../../lib/ids";

const id = (...parts: (string | number)[]) => stableUuid("rect demo", ...parts);

export function demoWorldDocument(): Record<string, unknown> {
  const dps = ["Northern Teaching Partnership", "Midlands Learning Alliance", "South Coast Teaching Hub"];
  const lead_providers = rectSeedLeadProviders.map((lp, i) => ({
    ref: `lp${i}`,
    id: id("lp", lp.name),
    name: lp.name,
    cohorts: lp.cohorts,
    vat_registered: lp.vatRegistered,
    api_token: lp.token,
  }));
  const delivery_partners = dps.map((name, d) => ({
    ref: `dp${d}`,
    id: id("dp", name),
    name,
    partnered_with: rectSeedLeadProviders.map((lp, i) => ({ lead_provider: `lp${i}`, cohorts: lp.cohorts.filter((c) => c >= 2023) })).filter((_, i) => i % dps.length === d || i % 2 === 0),
  }));
  const schools = Array.from({ length: 6 }, (_, s) => ({
    ref: `s${s}`,
    id: id("school", s),
    urn: String(140001 + s),
    name: ["Oakfield Primary", "Riverside Academy", "Hillcrest School", "Kingsway High", "Meadowbank Primary", "Northgate College"][s],
    eligible: s !== 5,
    induction_tutor: { name: `Induction Tutor ${s + 1}`, email: `tutor${s + 1}@school${s + 1}.example` },
    gias_contacts: { primary: `office@school${s + 1}.example`, secondary: null },
    funding: { "2024": { pupil_premium_uplift: s % 2 === 0, sparsity_uplift: s % 3 === 0 } },
  }));
  const partnerships = rectSeedLeadProviders.map((lp, i) => {
    const cohort = Math.max(...lp.cohorts);
    return { ref: `p${i}`, id: id("partnership", i), school: `s${i % 6}`, lead_provider: `lp${i}`, delivery_partner: delivery_partners.find((d) => d.partnered_with.some((w) => w.lead_provider === `lp${i}` && w.cohorts.includes(cohort)))?.ref ?? "dp0", cohort };
  });
  const teachers = rectSeedLeadProviders.flatMap((lp, i) => {
    const school = `s${i % 6}`;
    const training = (ref: string) => ({ ref, partnership: `p${i}`, started_on: "today-60d" });
    return [
      {
        ref: `t${i}m`,
        id: id("teacher", i, "mentor"),
        trn: String(3000000 + i * 10),
        first_name: "Morgan",
        last_name: `Mentor ${i + 1}`,
        funding: { mentor_eligible_at: "now-60d" },
        mentor_periods: [{ ref: `t${i}mp`, school, started_on: "today-90d", email: `mentor${i + 1}@school.example`, training: [training(`t${i}mt`)] }],
      },
      {
        ref: `t${i}a`,
        id: id("teacher", i, "ect a"),
        trn: String(3000001 + i * 10),
        first_name: "Alex",
        last_name: `Early ${i + 1}`,
        funding: { ect_eligible_at: "now-60d" },
        induction_periods: [{ started_on: "today-60d" }],
        ect_periods: [
          {
            ref: `t${i}ap`,
            school,
            started_on: "today-90d",
            email: `alex${i + 1}@school.example`,
            working_pattern: "full_time",
            training: [{ ...training(`t${i}at`), declarations: [{ ref: `d${i}`, id: id("declaration", i), type: "started", date: "now-30d", evidence_held: "training-event-attended" }] }],
            mentorships: [{ mentor: `t${i}mp`, started_on: "today-60d" }],
          },
        ],
      },
      {
        ref: `t${i}b`,
        id: id("teacher", i, "ect b"),
        trn: String(3000002 + i * 10),
        first_name: "Sam",
        last_name: `Starter ${i + 1}`,
        ect_periods: [{ ref: `t${i}bp`, school, started_on: "today-30d", email: `sam${i + 1}@school.example`, working_pattern: "part_time", training: [{ ...training(`t${i}bt`), started_on: "today-30d" }] }],
      },
    ];
  });
  return { lead_providers, delivery_partners, schools, partnerships, teachers };
}
