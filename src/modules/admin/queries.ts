/** All SQL of the admin API: lead providers, the participants and training records it makes, transfers and induction statuses. */
import type { Insertable } from "kysely";
import type { Database, DbOrTrx, TrainingRecord } from "../../../db/schema";

export function leadProviderByName(db: DbOrTrx, name: string) {
  return db.selectFrom("lead_providers").select("id").where("name", "=", name).executeTakeFirst();
}

export async function insertLeadProvider(db: DbOrTrx, row: Insertable<Database["lead_providers"]>): Promise<void> {
  await db.insertInto("lead_providers").values(row).execute();
}

export function leadProviderById(db: DbOrTrx, id: string) {
  return db.selectFrom("lead_providers").selectAll().where("id", "=", id).executeTakeFirst();
}

/** every lead provider, oldest first */
export function allLeadProviders(db: DbOrTrx) {
  return db.selectFrom("lead_providers").selectAll().orderBy("created_at").orderBy("name").execute();
}

export function leadProvidersByName(db: DbOrTrx) {
  return db.selectFrom("lead_providers").select(["id", "name"]).orderBy("name").execute();
}

/** the school when its URN is new, with a made-up name */
export async function insertSchoolIfNew(db: DbOrTrx, urn: string): Promise<void> {
  await db.insertInto("schools").values({ urn, name: `School ${urn}` }).onConflict((oc) => oc.doNothing()).execute();
}

export async function insertPartnershipIfNew(db: DbOrTrx, row: Insertable<Database["partnerships"]>): Promise<void> {
  await db.insertInto("partnerships").values(row).onConflict((oc) => oc.doNothing()).execute();
}

/** the school of the provider's first partnership in a cohort */
export async function firstPartnershipSchool(db: DbOrTrx, leadProviderId: string, cohort: number): Promise<string | undefined> {
  const row = await db
    .selectFrom("partnerships")
    .select("school_urn")
    .where("lead_provider_id", "=", leadProviderId)
    .where("cohort", "=", cohort)
    .orderBy("created_at")
    .executeTakeFirst();
  return row?.school_urn;
}

export async function participantExists(db: DbOrTrx, id: string): Promise<boolean> {
  return (await db.selectFrom("participants").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
}

export async function touchParticipant(db: DbOrTrx, id: string, stamp: string): Promise<void> {
  await db.updateTable("participants").set({ updated_at: stamp }).where("id", "=", id).execute();
}

export async function insertParticipant(db: DbOrTrx, row: Insertable<Database["participants"]>): Promise<void> {
  await db.insertInto("participants").values(row).execute();
}

export async function insertTrainingRecord(db: DbOrTrx, row: Insertable<Database["training_records"]>): Promise<void> {
  await db.insertInto("training_records").values(row).execute();
}

/** the person's latest training record of one type (ECT or mentor) */
export function latestTrainingRecord(db: DbOrTrx, participantId: string, participantType: TrainingRecord["participant_type"]) {
  return db
    .selectFrom("training_records")
    .selectAll()
    .where("participant_id", "=", participantId)
    .where("participant_type", "=", participantType)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
}

/** the provider a record comes back to no longer sees the view it kept when the record left it */
export async function deleteFormerProviderView(db: DbOrTrx, trainingRecordId: string, leadProviderId: string): Promise<void> {
  await db.deleteFrom("former_provider_views").where("training_record_id", "=", trainingRecordId).where("lead_provider_id", "=", leadProviderId).execute();
}

/** the record moves to another provider (and school), active again */
export async function moveTrainingRecord(db: DbOrTrx, id: string, leadProviderId: string, schoolUrn: string): Promise<void> {
  await db
    .updateTable("training_records")
    .set({ lead_provider_id: leadProviderId, school_urn: schoolUrn, training_status: "active", induction_status: "active" })
    .where("id", "=", id)
    .execute();
}

export async function setInductionStatus(db: DbOrTrx, id: string, status: TrainingRecord["induction_status"]): Promise<void> {
  await db.updateTable("training_records").set({ induction_status: status }).where("id", "=", id).execute();
}
