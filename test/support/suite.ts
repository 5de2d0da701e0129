import { type TestApp, createTestApp } from "./app";

/**
 * A fresh app and one lead provider in it: the setup the API suites share.
 * A file makes it once, `beforeAll(async () => ({ t, p } = await appWithProvider()))`,
 * and closes it with `afterAll(() => t.close())`.
 */
export async function appWithProvider(): Promise<{ t: TestApp; p: { id: string; name: string; token: string } }> {
  const t = await createTestApp();
  return { t, p: await t.newProvider() };
}

/** The attributes of an ECT's `started` declaration dated 2024-09-15 (inside the 2024 standard schedule's window). */
export function startedDeclaration(participantId: unknown) {
  return { participant_id: participantId, declaration_type: "started", declaration_date: "2024-09-15T10:00:00Z", course_identifier: "ecf-induction" };
}

/** POSTs `startedDeclaration(participantId)` with the provider's token, the server's clock at `now`. */
export function declareStarted(t: TestApp, token: string, participantId: unknown, now: string) {
  return t.call("POST", "/api/v2/participant-declarations", {
    token,
    headers: { "x-with-server-date": now },
    body: { data: { attributes: startedDeclaration(participantId) } },
  });
}
