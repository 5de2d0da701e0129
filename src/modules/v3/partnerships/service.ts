import type { Db } from "../../../../db/connection";
import type { DbOrTrx } from "../../../../db/schema";
import { castUuid } from "../../../http/ruby-compat";
import { newId } from "../../../lib/ids";
import { toTimestamp } from "../../../lib/time";
import { V3_NOT_FOUND, v3Unprocessable } from "../http/envelope";
import type { Page, SortPart } from "../http/params";
import { listDocumentText, singleDocumentText } from "../http/resource";
import { programmeChoiceOf } from "../schools/service";
import * as q from "./queries";
import { type CreateFacts, type Scalar, cohortYear, createErrors, updateErrors } from "./rules";

export async function listPartnerships(db: DbOrTrx, leadProviderId: number, today: string, filters: q.PartnershipFilters, sort: SortPart[] | null, page: Page): Promise<string> {
  return listDocumentText(page.beyond ? [] : await q.partnershipDocuments(db, leadProviderId, today, filters, sort, page));
}

/** By id, among the caller's partnerships only: another provider's, or a non-UUID id → 404 (`find_by!`, query.rb:31-35). */
export async function showPartnership(db: DbOrTrx, leadProviderId: number, today: string, id: string): Promise<string> {
  const apiId = castUuid(id);
  const document = apiId === null ? undefined : await q.partnershipDocument(db, leadProviderId, today, apiId);
  if (document === undefined) throw V3_NOT_FOUND;
  return singleDocumentText(document);
}

/** The clocks of one write: `now` (the request's, time-travelled) for what Rails writes, `dbNow` (the server's) for columns left to `CURRENT_TIMESTAMP` (docs/reference/rect/rules.md §2.4). */
export interface WriteClock {
  now: Date;
  dbNow: Date;
  today: string;
}

export interface CreateAttributes {
  cohort?: Scalar;
  school_id?: Scalar;
  delivery_partner_id?: Scalar;
}

/**
 * `POST /api/v3/partnerships` (docs/reference/rect/rules.md §13.2): the checks of
 * API::SchoolPartnerships::Create, then SchoolPartnerships::Create
 * (app/services/school_partnerships/create.rb:11-31), in one transaction:
 * the partnership; the EOI training periods at the school linked to it
 * (assign_training_periods.rb:11-33) and their teachers touched; the school's
 * cohort timestamp moved when it had no partnership in the cohort
 * (`in_partnership` becomes true). 422 with the errors otherwise, nothing written.
 */
export async function createPartnership(db: Db, leadProviderId: number, attributes: CreateAttributes, clock: WriteClock): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const year = attributes.cohort === undefined || attributes.cohort === null || attributes.cohort === false ? null : cohortYear(attributes.cohort);
    const cp = year === null ? undefined : await q.contractPeriod(trx, year);
    const schoolApiId = castUuid(attributes.school_id);
    const school = schoolApiId === null ? undefined : await q.schoolByApiId(trx, schoolApiId);
    const dpApiId = castUuid(attributes.delivery_partner_id);
    const deliveryPartnerId = dpApiId === null ? undefined : await q.deliveryPartnerIdByApiId(trx, dpApiId);
    const alpId = cp ? await q.activeLeadProviderId(trx, leadProviderId, cp.year) : undefined;
    const pairing = alpId !== undefined && deliveryPartnerId !== undefined ? await q.pairingId(trx, alpId, deliveryPartnerId) : undefined;
    const facts: CreateFacts = {
      contractPeriod: cp ? { startedOn: cp.started_on, enabled: cp.enabled === 1 } : null,
      school: school ? { eligible: school.marked_as_eligible === 1 || school.gias_eligible === 1 } : null,
      deliveryPartner: deliveryPartnerId !== undefined,
      activeLeadProvider: alpId !== undefined,
      pairing: pairing !== undefined,
      alreadyPartnered: school !== undefined && alpId !== undefined && (await q.schoolPartneredWithActiveLeadProvider(trx, school.id, alpId)),
      programmeChoice: school && cp ? await programmeChoiceOf(trx, school.id, cp.year) : null,
    };
    const errors = createErrors({ cohort: attributes.cohort, school_id: attributes.school_id, delivery_partner_id: attributes.delivery_partner_id }, facts, clock.today);
    if (errors.length) throw v3Unprocessable(errors);
    // valid: the school, the cohort and the pairing exist
    const at = toTimestamp(clock.now);
    const wasInPartnership = await q.schoolInPartnership(trx, school!.id, cp!.year);
    const id = await q.insertPartnership(trx, {
      api_id: newId(),
      school_id: school!.id,
      lead_provider_delivery_partnership_id: pairing!,
      created_at: at,
      updated_at: at,
      api_updated_at: toTimestamp(clock.dbNow),
    });
    const linked = await q.linkableTrainingPeriods(trx, school!.id, alpId!);
    await q.assignTrainingPeriods(trx, linked, id, at);
    await q.touchTeachersOfTrainingPeriods(trx, { ids: linked }, at);
    if (!wasInPartnership) await q.touchSchoolCohort(trx, school!.id, cp!.year, at);
    return singleDocumentText(await q.partnershipDocumentById(trx, clock.today, id));
  });
}

/** The caller's partnership for a PUT, looked up before the body is read (partnerships_controller.rb:31-32): 404 otherwise. */
export async function findCallerPartnership(db: DbOrTrx, leadProviderId: number, id: string) {
  const apiId = castUuid(id);
  const partnership = apiId === null ? undefined : await q.callerPartnership(db, leadProviderId, apiId);
  if (!partnership) throw V3_NOT_FOUND;
  return partnership;
}

/**
 * `PUT`/`PATCH /api/v3/partnerships/{id}` (docs/reference/rect/rules.md §13.3): the checks of
 * API::SchoolPartnerships::Update, then the change of LP–DP partnership
 * (app/services/school_partnerships/update.rb:10-20) with its touches
 * (school_partnership.rb:16-18: itself, its declarations, its teachers), in one transaction.
 */
export async function updatePartnership(db: Db, partnershipId: number, attributes: { delivery_partner_id?: Scalar }, clock: WriteClock): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const partnership = await q.partnershipById(trx, partnershipId);
    const dpApiId = castUuid(attributes.delivery_partner_id);
    const deliveryPartnerId = dpApiId === null ? undefined : await q.deliveryPartnerIdByApiId(trx, dpApiId);
    const pairing = deliveryPartnerId === undefined ? undefined : await q.pairingId(trx, partnership.active_lead_provider_id, deliveryPartnerId);
    const errors = updateErrors(
      { delivery_partner_id: attributes.delivery_partner_id },
      { deliveryPartner: deliveryPartnerId !== undefined, pairing: pairing !== undefined, duplicate: pairing !== undefined && (await q.schoolPartneredOnPairing(trx, partnership.school_id, pairing)) },
    );
    if (errors.length) throw v3Unprocessable(errors);
    const at = toTimestamp(clock.now);
    await q.movePartnership(trx, partnership.id, pairing!, at);
    await q.touchDeclarationsOfPartnership(trx, partnership.id, at);
    await q.touchTeachersOfTrainingPeriods(trx, { partnershipId: partnership.id }, at);
    return singleDocumentText(await q.partnershipDocumentById(trx, clock.today, partnership.id));
  });
}
