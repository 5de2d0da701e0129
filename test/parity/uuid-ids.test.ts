/**
 * Ids are PostgreSQL `uuid` columns live (docs/live-parity.md §4). Path ids,
 * `participant_id` in a body and `find` go through Rails' cast (activerecord
 * `OID::Uuid`): either case, braces, hyphens after any group of four digits
 * (a trailing one too); anything else matches nothing. `filter[participant_id]`
 * goes to PostgreSQL as a string (app/services/api/participant_declarations/index.rb:22):
 * the same forms without the trailing hyphen, anything else a 400.
 * Ids always print lower-case and hyphenated.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../support/app";
import { appWithProvider, declareStarted } from "../support/suite";

const NOW = "2024-10-01T12:00:00Z";
const headers = { "x-with-server-date": NOW };
const NOT_FOUND = { error: "Resource not Found" };

let t: TestApp;
let p: { id: string; token: string };

beforeAll(async () => ({ t, p } = await appWithProvider()));
afterAll(() => t.close());

/** The forms Rails' uuid cast accepts for one id (all mean the same id). */
function railsForms(id: string): string[] {
  const hex = id.replaceAll("-", "");
  const groups = hex.match(/.{4}/g)!;
  return [
    id.toUpperCase(),
    `{${id}}`,
    `{${id.toUpperCase()}}`,
    hex,
    groups.join("-"),
    `${hex}-`, // a trailing hyphen: Rails' pattern allows it, PostgreSQL does not
    `${id.slice(0, 9)}${id.slice(9).toUpperCase()}`,
  ];
}

const NOT_UUIDS = (id: string) => [id.slice(0, -1), `${id}0`, `${id} `, ` ${id}`, `{${id}`, `${id}}`, id.replace(/-/, "--"), `${id.slice(0, -1)}g`, "123"];

async function declare(participantId: string, type = "started", date = "2024-09-15T10:00:00Z") {
  return t.call("POST", "/api/v2/participant-declarations", {
    token: p.token,
    headers,
    body: { data: { attributes: { participant_id: participantId, declaration_type: type, declaration_date: date, course_identifier: "ecf-induction" } } },
  });
}

describe("ids compare as uuid columns", () => {
  test("when GET /participants/ecf/{id} is given the id in any form Rails casts, then the participant, printed in lower case (participants_query.rb:40)", async () => {
    const { participant_id: id } = await t.newParticipant(p.id);
    for (const form of railsForms(id)) {
      const r = await t.call("GET", `/api/v2/participants/ecf/${encodeURIComponent(form)}`, { token: p.token });
      expect({ form, status: r.status, id: r.body?.data?.id }).toEqual({ form, status: 200, id });
    }
    for (const form of NOT_UUIDS(id)) {
      const r = await t.call("GET", `/api/v2/participants/ecf/${encodeURIComponent(form)}`, { token: p.token });
      expect({ form, status: r.status, body: r.body }).toEqual({ form, status: 404, body: NOT_FOUND });
    }
  });

  test("when an action's path id is in another Rails form, then it acts on the participant (participant_identity_resolver.rb:21,27,31)", async () => {
    const { participant_id: id } = await t.newParticipant(p.id);
    const r = await t.call("PUT", `/api/v2/participants/ecf/${encodeURIComponent(`{${id.toUpperCase()}}`)}/defer`, {
      token: p.token,
      headers,
      body: { data: { attributes: { course_identifier: "ecf-induction", reason: "other" } } },
    });
    expect({ status: r.status, id: r.body.data?.id, training_status: r.body.data?.attributes?.training_status }).toEqual({ status: 200, id, training_status: "deferred" });
  });

  test("when POST names the participant in upper case, then the declaration is recorded under the canonical id (record_declaration.rb:62-68)", async () => {
    const { participant_id: id } = await t.newParticipant(p.id);
    const r = await declare(id.toUpperCase().replaceAll("-", ""));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.participant_id).toBe(id);
    const listed = await t.call("GET", `/api/v2/participant-declarations?filter[participant_id]=${id}`, { token: p.token });
    expect(listed.body.data.map((d: any) => d.id)).toEqual([r.body.data.id]);
    // the same slot, named another way, is the same slot
    const again = await declare(`{${id}}`);
    expect(again.status).toBe(422);
    expect(again.body.errors[0].title).toBe("base");
  });

  test("when the declaration show or void is given its id in another Rails form, then it is found (find casts the id)", async () => {
    const { participant_id: id } = await t.newParticipant(p.id);
    const declared = await declare(id);
    const declarationId: string = declared.body.data.id;
    for (const form of railsForms(declarationId)) {
      const r = await t.call("GET", `/api/v2/participant-declarations/${encodeURIComponent(form)}`, { token: p.token });
      expect({ form, status: r.status, id: r.body?.data?.id }).toEqual({ form, status: 200, id: declarationId });
    }
    for (const form of NOT_UUIDS(declarationId)) {
      const r = await t.call("GET", `/api/v2/participant-declarations/${encodeURIComponent(form)}`, { token: p.token });
      expect({ form, status: r.status }).toEqual({ form, status: 404 });
    }
    const voided = await t.call("PUT", `/api/v2/participant-declarations/${declarationId.toUpperCase()}/void`, { token: p.token, headers });
    expect({ status: voided.status, id: voided.body.data?.id, state: voided.body.data?.attributes?.state }).toEqual({ status: 200, id: declarationId, state: "voided" });
  });

  test("when filter[participant_id] is in a form PostgreSQL reads, then it matches; a trailing hyphen or anything else is the database's 400 (index.rb:22)", async () => {
    const { participant_id: id } = await t.newParticipant(p.id);
    const declared = await declare(id);
    for (const form of railsForms(id).filter((f) => !f.endsWith("-"))) {
      const r = await t.call("GET", `/api/v2/participant-declarations?filter[participant_id]=${encodeURIComponent(form)}`, { token: p.token });
      expect({ form, status: r.status, ids: r.body.data?.map((d: any) => d.id) }).toEqual({ form, status: 200, ids: [declared.body.data.id] });
    }
    for (const form of [`${id.replaceAll("-", "")}-`, ...NOT_UUIDS(id).filter((f) => f.trim() !== "")]) {
      const r = await t.call("GET", `/api/v2/participant-declarations?filter[participant_id]=${encodeURIComponent(form)}`, { token: p.token });
      expect({ form, status: r.status, body: r.body }).toEqual({
        form,
        status: 400,
        body: { errors: [{ title: "Bad request", detail: `invalid input syntax for type uuid: "${form}"` }] },
      });
    }
  });

  test("when a body's participant_id is not a string, then it is not recognised (Rails casts 123.to_s)", async () => {
    await t.newParticipant(p.id);
    const r = await declareStarted(t, p.token, 123, NOW);
    expect(r.status).toBe(422);
    expect(r.body.errors[0].title).toBe("participant_id");
  });
});
