/**
 * Rails' `(.:format)` split (src/http/format.ts) and Rails' uuid cast
 * (ruby-compat `castUuid`), as plain functions (docs/live-parity.md §1, §4).
 */
import { describe, expect, test } from "bun:test";
import { splitFormat } from "../../src/http/format";
import { castUuid } from "../../src/http/ruby-compat";

describe("splitFormat (Journey: `…/:id(.:format)`, segments never hold a dot)", () => {
  test("when the last segment has one dot, then the route without it and the format", () => {
    expect(splitFormat("GET", "/api/v2/participants/ecf.json")).toEqual({ kind: "format", path: "/api/v2/participants/ecf", format: "json" });
    expect(splitFormat("PUT", "/api/v2/participants/ecf/abc/defer.csv")).toEqual({ kind: "format", path: "/api/v2/participants/ecf/abc/defer", format: "csv" });
    expect(splitFormat("GET", "/api/v2/participants/ecf.JSON/")).toEqual({ kind: "format", path: "/api/v2/participants/ecf", format: "JSON" });
  });

  test("when a list is asked for .csv with GET or HEAD, then the path is routed as is (the export has its own route)", () => {
    for (const path of ["/api/v2/participants/ecf.csv", "/api/v2/participants.csv", "/api/v2/participant-declarations.csv"]) {
      expect(splitFormat("GET", path)).toEqual({ kind: "as-is" });
      expect(splitFormat("HEAD", path)).toEqual({ kind: "as-is" });
    }
    expect(splitFormat("POST", "/api/v2/participant-declarations.csv")).toEqual({ kind: "format", path: "/api/v2/participant-declarations", format: "csv" });
  });

  test("when there is no dot, then as is; a dot before the last segment, a second dot or an empty side, then no route", () => {
    expect(splitFormat("GET", "/api/v2/participants/ecf")).toEqual({ kind: "as-is" });
    for (const path of ["/api/v2/participants/ecf/a.json/defer", "/api/v2/participants/ecf.json.csv", "/api/v2/participants/ecf/.json", "/api/v2/participants/ecf."]) {
      expect({ path, split: splitFormat("GET", path) }).toEqual({ path, split: { kind: "no-route" } });
    }
  });
});

describe("castUuid (activerecord OID::Uuid)", () => {
  const id = "0f0e0d0c-0b0a-4908-8706-050403020100";
  test("when the value is a uuid in any form Rails accepts, then its canonical form", () => {
    const hex = id.replaceAll("-", "");
    for (const form of [id, id.toUpperCase(), `{${id}}`, hex, `${hex}-`, hex.match(/.{4}/g)!.join("-"), `{${hex.toUpperCase()}}`]) {
      expect({ form, cast: castUuid(form) }).toEqual({ form, cast: id });
    }
  });

  test("when it is anything else, then null (matches nothing)", () => {
    for (const form of ["", "x", id.slice(1), `${id}0`, `{${id}`, `${id}}`, ` ${id}`, id.replace("-", "--"), null, undefined, {}, ["x"]]) {
      expect({ form, cast: castUuid(form) }).toEqual({ form, cast: null });
    }
    expect(castUuid(123)).toBeNull();
  });
});
