/**
 * Scenario documents: a whole world in one call, all or nothing. Every item
 * goes through the same use case as its API call (the admin API's for
 * providers, participants, transfers and induction statuses; the v2 API's for
 * declarations and participant actions, made as the provider that trains the
 * participant), inside one transaction: a refused item rolls back every item
 * before it, and the answer names its place in the document.
 */
import type { Db } from "../../../db/connection";
import type { Transaction } from "kysely";
import type { Database } from "../../../db/schema";
import type { Clock } from "../../clock";
import { ApiError } from "../../errors";
import { createLeadProvider, createParticipant, parseClockInstant, setInductionStatus, transferParticipant } from "../admin/service";
import { moveDeclarationState, recordDeclaration, voidProviderDeclaration } from "../declarations/service";
import type { DeclarationState } from "../declarations/rules";
import { performParticipantAction } from "../participants/service";
import { type CourseIdentifier, participantTypeCourse } from "../participants/rules";
import { Value } from "@sinclair/typebox/value";
import { fieldErrors } from "../admin/validation";
import { type Scenario, ScenarioDocument } from "./model";
import { checkRefs, placedError, statePath, unreachableState } from "./rules";
import { SHIPPED } from "./shipped/index";

type RefIds = { id: string; api_token: string } | { participant_id: string; training_record_id: string } | { id: string };

interface KnownParticipant {
  participant_id: string;
  training_record_id: string;
  lead_provider_id: string;
  participant_type: "ect" | "mentor";
}

/** the ids fields a document gives as refs, by the names the rules give their errors */
const PARTICIPANT_FIELDS = { lead_provider_id: "lead_provider", mentor_id: "mentor", participant_id: "participant" };
const ITEM_FIELDS = { participant_id: "participant", to_lead_provider_id: "to_lead_provider", now: "at" };

/** Runs one item; a refusal becomes the 422 titled with its place. */
async function item<T>(place: string, fields: Record<string, string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiError) throw placedError(place, error, fields);
    throw error;
  }
}

/** Applies a document (already of the schema's shape); the clock moves only once everything is written. */
export async function applyScenario(db: Db, clock: Clock, doc: Scenario): Promise<{ refs: Record<string, RefIds> }> {
  checkRefs(doc as unknown as Record<string, Record<string, unknown>[] | undefined>);
  const base = doc.clock === undefined ? clock.now() : await item("clock", { now: "clock" }, async () => parseClockInstant(doc.clock!));
  const instant = async (place: string, at: string | undefined) => (at === undefined ? base : item(place, { now: "at" }, async () => parseClockInstant(at)));

  const refs: Record<string, RefIds> = {};
  await db.transaction().execute(async (trx: Transaction<Database>) => {
    const providers = new Map<string, string>();
    const participants = new Map<string, KnownParticipant>();
    const participant = (ref: string) => participants.get(ref)!;
    const course = (ref: string, given: CourseIdentifier | undefined) => given ?? participantTypeCourse(participant(ref).participant_type);

    for (const [i, lp] of (doc.lead_providers ?? []).entries()) {
      const place = `lead_providers[${i}]`;
      const now = await instant(`${place}.at`, lp.at);
      const made = await item(place, {}, () => createLeadProvider(trx, lp.name, now));
      if (lp.ref !== undefined) {
        providers.set(lp.ref, made.id);
        refs[lp.ref] = { id: made.id, api_token: made.api_token };
      }
    }
    const providerId = (ref: string) => providers.get(ref)!;

    for (const [i, p] of (doc.participants ?? []).entries()) {
      const place = `participants[${i}]`;
      const now = await instant(`${place}.at`, p.at);
      const { ref, lead_provider, mentor, participant: person, at: _at, ...fields } = p;
      const made = await item(place, PARTICIPANT_FIELDS, () =>
        createParticipant(
          trx,
          {
            ...fields,
            lead_provider_id: providerId(lead_provider),
            ...(mentor !== undefined ? { mentor_id: participant(mentor).participant_id } : {}),
            ...(person !== undefined ? { participant_id: participant(person).participant_id } : {}),
          },
          now,
        ),
      );
      if (ref !== undefined) {
        participants.set(ref, { ...made, lead_provider_id: providerId(lead_provider), participant_type: p.participant_type });
        refs[ref] = { participant_id: made.participant_id, training_record_id: made.training_record_id };
      }
    }

    for (const [i, d] of (doc.declarations ?? []).entries()) {
      const place = `declarations[${i}]`;
      const now = await instant(`${place}.at`, d.at);
      const who = participant(d.participant);
      const attributes = {
        participant_id: who.participant_id,
        declaration_type: d.declaration_type,
        declaration_date: d.declaration_date,
        course_identifier: course(d.participant, d.course_identifier),
        ...(d.evidence_held !== undefined ? { evidence_held: d.evidence_held } : {}),
      };
      // as POST /api/v2/participant-declarations by the provider that trains the participant
      const made = await item(place, ITEM_FIELDS, () => recordDeclaration(trx, who.lead_provider_id, attributes, now));
      const id = made.data.id;
      const from = made.data.attributes.state as DeclarationState;
      if (d.state !== undefined && d.state !== from) {
        const steps = statePath(from, d.state);
        if (!steps) throw placedError(`${place}`, ApiError.unprocessable("state", unreachableState(from, d.state)));
        for (const step of steps) {
          await item(place, { state: "state" }, () =>
            "void" in step ? voidProviderDeclaration(trx, who.lead_provider_id, id, now) : moveDeclarationState(trx, id, step.move, now),
          );
        }
      }
      if (d.ref !== undefined) refs[d.ref] = { id };
    }

    for (const [i, a] of (doc.actions ?? []).entries()) {
      const place = `actions[${i}]`;
      const now = await instant(`${place}.at`, a.at);
      const who = participant(a.participant);
      const attributes: Record<string, unknown> = { course_identifier: course(a.participant, a.course_identifier) };
      if (a.reason !== undefined) attributes.reason = a.reason;
      if (a.schedule_identifier !== undefined) attributes.schedule_identifier = a.schedule_identifier;
      if (a.cohort !== undefined) attributes.cohort = a.cohort;
      // as PUT /api/v2/participants/{id}/<action> by the provider that trains the participant
      await item(place, ITEM_FIELDS, () => performParticipantAction(trx, who.lead_provider_id, who.participant_id, a.action, attributes, now));
    }

    for (const [i, tr] of (doc.transfers ?? []).entries()) {
      const place = `transfers[${i}]`;
      const now = await instant(`${place}.at`, tr.at);
      const who = participant(tr.participant);
      const to = providerId(tr.to_lead_provider);
      await item(place, ITEM_FIELDS, () =>
        transferParticipant(trx, who.participant_id, { course_identifier: course(tr.participant, tr.course_identifier), to_lead_provider_id: to, ...(tr.school_urn ? { school_urn: tr.school_urn } : {}) }, now),
      );
      who.lead_provider_id = to;
    }

    for (const [i, s] of (doc.induction_statuses ?? []).entries()) {
      const place = `induction_statuses[${i}]`;
      const now = await instant(`${place}.at`, s.at);
      const who = participant(s.participant);
      await item(place, ITEM_FIELDS, () => setInductionStatus(trx, who.participant_id, { course_identifier: course(s.participant, s.course_identifier), status: s.status }, now));
    }
  });
  if (doc.clock !== undefined) clock.set(base);
  return { refs };
}

export function listShipped() {
  return { data: Object.entries(SHIPPED).map(([name, doc]) => ({ name, description: doc.description ?? "" })) };
}

export function shippedScenario(name: string): Scenario {
  const doc = Object.hasOwn(SHIPPED, name) ? SHIPPED[name] : undefined;
  if (!doc) throw ApiError.errors(404, [{ title: "Not found", detail: `No shipped scenario ${name}; GET /admin/scenarios lists them` }]);
  return doc;
}

/**
 * A document from outside the HTTP route (SCENARIO at start, the `scenario apply`
 * command): checked against the ScenarioDocument schema as the route checks it
 * (a 422 naming the place), then applied.
 */
export async function applyScenarioDocument(db: Db, clock: Clock, document: unknown) {
  if (!Value.Check(ScenarioDocument, document)) throw fieldErrors(ScenarioDocument, document, { nested: true });
  return applyScenario(db, clock, document);
}

/** `scenario apply FILE|NAME`: a shipped scenario by name, else a JSON file. */
export function scenarioByNameOrFile(arg: string, readFile: (path: string) => string): unknown {
  if (Object.prototype.hasOwnProperty.call(SHIPPED, arg)) return SHIPPED[arg];
  return JSON.parse(readFile(arg));
}
