/** The scenarios shipped with the sandbox (GET /admin/scenarios), carried in the binary. */
import type { Scenario } from "../model";
import contractExample from "./contract-example.json";
import everyState from "./every-state.json";
import tenEcts from "./ten-ects.json";

export const SHIPPED: Record<string, Scenario> = {
  "every-state": everyState as Scenario,
  "ten-ects": tenEcts as Scenario,
  "contract-example": contractExample as Scenario,
};
