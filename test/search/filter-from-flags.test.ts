import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { filterFromFlags } from "../../src/search/parse-filter.js";

describe("filterFromFlags", () => {
  it("is the empty filter when no flag is given", () => {
    expect(filterFromFlags({})).toEqual({});
  });

  it("takes --culture and --classification verbatim: a comma is part of the value", () => {
    expect(filterFromFlags({ culture: ["Paris, France"], classification: ["a,b"] })).toEqual({
      culture: ["Paris, France"],
      classification: ["a,b"],
    });
  });

  it("ORs the shortcuts onto the --filter values of the same field, after them", () => {
    expect(
      filterFromFlags({
        filter: ["culture=dutch,french", "department=prints"],
        culture: ["Japanese"],
        classification: ["Print", "Vase"],
      }),
    ).toEqual({
      culture: ["dutch", "french", "Japanese"],
      department: ["prints"],
      classification: ["Print", "Vase"],
    });
  });

  it("rejects a malformed --filter as a usage error", () => {
    expect(() => filterFromFlags({ filter: ["culture"], culture: ["x"] })).toThrow(UsageError);
  });
});
