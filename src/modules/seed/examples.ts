/**
 * The demo data's ids that the OpenAPI document's examples use, so that a
 * request copied from /api-docs (or converted to a Postman collection) works
 * against a freshly seeded sandbox with the first demo provider's token.
 * The same formulas make the rows (./demo.ts); test/contract/served-examples.test.ts
 * sends every example.
 */
import { stableUuid } from "../../lib/ids";

export const demoProviderId = (provider: string) => stableUuid("lead-provider", provider);
export const demoParticipantId = (provider: string, cohort: number, index: number) => stableUuid("participant", provider, cohort, index);
export const demoTrainingRecordId = (participantId: string, type: "ect" | "mentor") => stableUuid("training-record", participantId, type);
export const demoDeclarationId = (trainingRecordId: string, declarationType: string) => stableUuid("declaration", trainingRecordId, declarationType);

/** The provider whose token Swagger UI's examples assume: the first demo provider. */
export const EXAMPLE_PROVIDER = "Ambition Institute";

/** Demo participants from this index on have no declarations (./demo.ts declares for the first ones). */
export const DECLARED_PARTICIPANTS = 10;

/** An active, fundable ECT of 2024 on ecf-standard-september with no declarations: the actions and the POST. */
const exampleParticipant = demoParticipantId(EXAMPLE_PROVIDER, 2024, 18);
/** An active, fundable ECT of 2023 whose `started` declaration is seeded `eligible`: shown and voided. */
const declaredParticipant = demoParticipantId(EXAMPLE_PROVIDER, 2023, 3);

export const DEMO_EXAMPLES = {
  providerId: demoProviderId(EXAMPLE_PROVIDER),
  /** the second demo provider (Best Practice Network) and one of its schools: a transfer's destination */
  otherProviderId: demoProviderId("Best Practice Network"),
  otherProviderSchoolUrn: "101001",
  participantId: exampleParticipant,
  trainingRecordId: demoTrainingRecordId(exampleParticipant, "ect"),
  cohort: 2024,
  /** a date in the 2024 `started` window (2024-06-01 to 2024-12-31) */
  declarationDate: "2024-07-01T10:00:00Z",
  declaredParticipantId: declaredParticipant,
  declarationId: demoDeclarationId(demoTrainingRecordId(declaredParticipant, "ect"), "started"),
} as const;
