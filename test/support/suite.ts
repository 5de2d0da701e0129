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
