import { afterAll, expect, test } from "bun:test";
import { listDemoProviders } from "../../src/modules/seed/demo";
import { createTestApp, type TestApp } from "../support/app";

/**
 * State remembered between requests belongs to one app (its context), never
 * to a module: two apps in one process, on two databases, must not share it.
 * The participants list remembers where pages ended per provider and
 * database version; the demo providers have the same ids in every database,
 * and two databases changed the same number of times have the same version.
 */
const apps: TestApp[] = [];
afterAll(() => Promise.all(apps.map((a) => a.close())));

test("when two apps on two databases at the same version page through one provider, then each gets its own page 2", async () => {
  const a = await createTestApp({ seed: "demo" });
  const b = await createTestApp({ seed: "demo" });
  apps.push(a, b);
  const [provider] = await listDemoProviders(a.database.db);
  const token = provider!.token;
  // the same writes in each, but A's new participant sorts first and B's last
  a.clock.set(new Date("2020-01-01T00:00:00Z"));
  b.clock.set(new Date("2030-01-01T00:00:00Z"));
  await a.newParticipant(provider!.id);
  await b.newParticipant(provider!.id);

  const ids = async (t: TestApp, query: string) => {
    const r = await t.call("GET", `/api/v2/participants/ecf?${query}`, { token });
    expect(r.status).toBe(200);
    return r.body.data.map((p: { attributes: { training_record_id: string } }) => p.attributes.training_record_id);
  };
  expect(await ids(a, "page[page]=1&page[per_page]=1")).toHaveLength(1);
  const bPage2 = await ids(b, "page[page]=2&page[per_page]=1");
  expect(bPage2).toEqual((await ids(b, "page[per_page]=3")).slice(1, 2));
  expect(await ids(a, "page[page]=2&page[per_page]=1")).toEqual((await ids(a, "page[per_page]=3")).slice(1, 2));
});
