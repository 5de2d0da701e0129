import { type Kysely, sql } from "kysely";

/**
 * A read model for the participant reads: one row per visible training
 * record view (the current provider's record, or a former provider's view of
 * it after a transfer, docs/reference/business-rules.md §2.1) holding its JSON:API resource and
 * its CSV line as text, with the list's filter and sort keys beside them. A
 * page is then one index walk over this table and the concatenation of its
 * stored fragments; nothing is joined or serialised per request.
 *
 * SQLite builds the text (`json_object`, `||`) from the view
 * `participant_document_source`, and triggers rewrite a row in the same
 * transaction as every write to a person, a record or a former view, whoever
 * writes it (the app, the CLI, another process).
 *
 * Since migration 0006 the view, the triggers and the stored rows are derived
 * objects: rebuilt at start from the participant's definition
 * (src/modules/participants/resource.ts, read-model.ts
 * `PARTICIPANT_DOCUMENTS`, db/derived.ts). The SQL below is what a database
 * had before; it stays, frozen, so that old databases migrate as they did.
 * Change the rendering in the definition, never here.
 */
/** `text` cells: quoted only when it holds a comma, a quote or a line break; null and "" → `""` */
const csvText = (x: string) =>
  `case when ${x} is null or ${x} = '' then '""' ` +
  `when instr(${x}, ',') or instr(${x}, '"') or instr(${x}, char(10)) or instr(${x}, char(13)) then '"' || replace(${x}, '"', '""') || '"' ` +
  `else ${x} end`;
/** `flag` cells: null → `""`, 1 → true, anything else → false */
const csvFlag = (x: string) => `case when ${x} is null then '""' when ${x} = 1 then 'true' else 'false' end`;

const COLUMNS =
  "former, source_rowid, lead_provider_id, participant_id, participant_type, schedule_id, participant_created_at, participant_updated_at, participant_seq, record_seq, resource, csv";

export async function up(db: Kysely<any>): Promise<void> {
  // A rowid table, not WITHOUT ROWID: a row (~1.5 KB of text) then fits in
  // its leaf page, where a WITHOUT ROWID row of that size spills into
  // overflow pages and reading a page of 3000 costs twice the page reads.
  await sql`create table participant_documents (
      id integer primary key,
      former integer not null,
      source_rowid integer not null,
      lead_provider_id text not null,
      participant_id text not null,
      participant_type text not null,
      schedule_id text not null,
      participant_created_at text not null,
      participant_updated_at text not null,
      participant_seq integer not null,
      record_seq integer not null,
      resource text not null,
      csv text not null,
      unique (former, source_rowid)
    )`.execute(db);
  await sql`create index participant_documents_by_created on participant_documents
      (lead_provider_id, participant_created_at, participant_seq, schedule_id, source_rowid, former)`.execute(db);
  await sql`create index participant_documents_by_updated on participant_documents
      (lead_provider_id, participant_updated_at, participant_seq, schedule_id, source_rowid, former)`.execute(db);
  await sql`create index participant_documents_by_person on participant_documents (participant_id)`.execute(db);

  // Each visible view of a record: the record itself for its current
  // provider, and each former provider's last view of it.
  await sql`create view participant_views as
      select 0 as former, tr.rowid as source_rowid, tr.lead_provider_id, tr.rowid as record_seq, tr.schedule_id,
             tr.mentor_id, tr.school_urn, tr.induction_status, tr.training_status, tr.updated_at as view_updated_at
        from training_records tr
      union all
      select 1, fv.rowid, fv.lead_provider_id, tr.rowid, fv.schedule_id,
             fv.mentor_id, fv.school_urn, fv.induction_status, fv.training_status, fv.updated_at
        from former_provider_views fv join training_records tr on tr.id = fv.training_record_id`.execute(db);

  // The rendering of the time: the JSON:API resource and the CSV line (CSV, §4.5: free text quoted only when it must be,
  // null and "" as "", booleans as true/false).
  await sql.raw(`create view participant_document_source as
      select v.former, v.source_rowid, v.lead_provider_id, p.id as participant_id, tr.participant_type, v.schedule_id,
             p.created_at as participant_created_at, p.updated_at as participant_updated_at, p.rowid as participant_seq, v.record_seq,
             json_object('id', p.id, 'type', 'participant', 'attributes', json_object(
               'email', p.email,
               'full_name', p.full_name,
               'mentor_id', case when tr.participant_type = 'ect' then v.mentor_id end,
               'school_urn', v.school_urn,
               'participant_type', tr.participant_type,
               'cohort', cast(s.cohort as text),
               'status', case when v.induction_status in ('active', 'completed', 'leaving') then 'active'
                              when v.induction_status in ('withdrawn', 'changed') then 'withdrawn' end,
               'teacher_reference_number', p.teacher_reference_number,
               'teacher_reference_number_validated', case when p.teacher_reference_number is null then null
                              when p.teacher_reference_number_validated = 1 then json('true') else json('false') end,
               'eligible_for_funding', case when tr.eligible_for_funding is null then null
                              when tr.eligible_for_funding = 1 then json('true') else json('false') end,
               'pupil_premium_uplift', iif(tr.pupil_premium_uplift = 1, json('true'), json('false')),
               'sparsity_uplift', iif(tr.sparsity_uplift = 1, json('true'), json('false')),
               'training_status', v.training_status,
               'training_record_id', tr.id,
               'schedule_identifier', s.identifier,
               'updated_at', max(p.updated_at, tr.updated_at, v.view_updated_at)
             )) as resource,
             p.id || ',' || ${csvText('p.email')} || ',' || ${csvText('p.full_name')} || ',' ||
               iif(tr.participant_type = 'ect' and v.mentor_id is not null and v.mentor_id <> '', v.mentor_id, '""') || ',' ||
               ${csvText('v.school_urn')} || ',' || tr.participant_type || ',' || s.cohort || ',' ||
               coalesce(case when v.induction_status in ('active', 'completed', 'leaving') then 'active'
                             when v.induction_status in ('withdrawn', 'changed') then 'withdrawn' end, 'null') || ',' ||
               ${csvText('p.teacher_reference_number')} || ',' ||
               iif(p.teacher_reference_number is null, '""', ${csvFlag('p.teacher_reference_number_validated')}) || ',' ||
               ${csvFlag('tr.eligible_for_funding')} || ',' || ${csvFlag('tr.pupil_premium_uplift')} || ',' || ${csvFlag('tr.sparsity_uplift')} || ',' ||
               v.training_status || ',' || tr.id || ',' || ${csvText('s.identifier')} || ',' ||
               max(p.updated_at, tr.updated_at, v.view_updated_at) || char(10) as csv
        from participant_views v
        join training_records tr on tr.rowid = v.record_seq
        join participants p on p.id = tr.participant_id
        join schedules s on s.id = v.schedule_id`).execute(db);

  // Triggers rewrite the documents a write changes. Delete, then insert from
  // the source: a view that stopped existing leaves no row behind.
  const refresh = (former: 0 | 1, rowids: string) => `
      delete from participant_documents where former = ${former} and source_rowid in (${rowids});
      insert into participant_documents (${COLUMNS}) select ${COLUMNS} from participant_document_source where former = ${former} and source_rowid in (${rowids});`;
  const formerViewsOf = (recordId: string) => `select rowid from former_provider_views where training_record_id = ${recordId}`;
  await sql
    .raw(`create trigger participant_documents_record_insert after insert on training_records begin
      ${refresh(0, "new.rowid")}
    end`)
    .execute(db);
  // not on the sort-key copies of migration 0002 (they follow the person, whose own trigger rewrites everything)
  await sql
    .raw(`create trigger participant_documents_record_update after update of
        id, participant_id, participant_type, lead_provider_id, school_urn, cohort, schedule_id, induction_status, training_status,
        eligible_for_funding, pupil_premium_uplift, sparsity_uplift, mentor_id, created_at, updated_at on training_records begin
      ${refresh(0, "new.rowid")}
      ${refresh(1, formerViewsOf("new.id"))}
      ${refresh(1, formerViewsOf("old.id"))}
    end`)
    .execute(db);
  await sql
    .raw(`create trigger participant_documents_record_delete after delete on training_records begin
      delete from participant_documents where former = 0 and source_rowid = old.rowid;
    end`)
    .execute(db);
  await sql
    .raw(`create trigger participant_documents_view_insert after insert on former_provider_views begin
      ${refresh(1, "new.rowid")}
    end`)
    .execute(db);
  await sql
    .raw(`create trigger participant_documents_view_update after update on former_provider_views begin
      ${refresh(1, "old.rowid")}
      ${refresh(1, "new.rowid")}
    end`)
    .execute(db);
  await sql
    .raw(`create trigger participant_documents_view_delete after delete on former_provider_views begin
      delete from participant_documents where former = 1 and source_rowid = old.rowid;
    end`)
    .execute(db);
  await sql
    .raw(`create trigger participant_documents_person_update after update on participants begin
      ${refresh(0, "select rowid from training_records where participant_id = new.id")}
      ${refresh(1, "select fv.rowid from former_provider_views fv join training_records tr on tr.id = fv.training_record_id where tr.participant_id = new.id")}
    end`)
    .execute(db);

  await sql.raw(`insert into participant_documents (${COLUMNS}) select ${COLUMNS} from participant_document_source`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ["record_insert", "record_update", "record_delete", "view_insert", "view_update", "view_delete", "person_update"]) {
    await sql.raw(`drop trigger if exists participant_documents_${name}`).execute(db);
  }
  await sql`drop view if exists participant_document_source`.execute(db);
  await sql`drop view if exists participant_views`.execute(db);
  await sql`drop table if exists participant_documents`.execute(db);
}
