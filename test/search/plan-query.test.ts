import { describe, expect, it } from "vitest";
import { graphK, planQuery, scanIsCheaper } from "../../src/search/plan-query.js";

describe("planQuery", () => {
  const base = { count: 100_000, n: 10 };
  it("answers nothing when nothing can match", () => {
    expect(planQuery({ ...base, engine: "auto", matches: 0 })).toEqual({ kind: "none" });
    expect(planQuery({ ...base, engine: "hnsw", matches: 50, n: 0 })).toEqual({ kind: "none" });
  });
  it("honours forced engines", () => {
    expect(planQuery({ ...base, engine: "exact", matches: 100_000 }).kind).toBe("scan");
    expect(planQuery({ ...base, engine: "balltree", matches: 10 }).kind).toBe("balltree");
    expect(planQuery({ ...base, engine: "hnsw", matches: 10 }).kind).toBe("graph");
  });
  it("scans selective filters and uses the graph for broad ones", () => {
    expect(planQuery({ ...base, engine: "auto", matches: 900 }).kind).toBe("scan");
    expect(planQuery({ ...base, engine: "auto", matches: 12_000 }).kind).toBe("graph");
    expect(planQuery({ ...base, engine: "auto", matches: 100_000 })).toEqual({
      kind: "graph",
      k: graphK(10, 100_000, 100_000),
    });
    expect(scanIsCheaper(10, 1_000_000, 5_000)).toBe(true);
    expect(scanIsCheaper(10, 1_000_000, 100_000)).toBe(false);
  });
  it("uses an explicit threshold instead of the cost model", () => {
    expect(planQuery({ ...base, engine: "auto", matches: 50_000, exactThreshold: 60_000 }).kind).toBe("scan");
    expect(planQuery({ ...base, engine: "auto", matches: 900, exactThreshold: 0 }).kind).toBe("graph");
  });
  it("oversamples by the inverse selectivity, capped at the index size", () => {
    expect(graphK(10, 100_000, 100_000)).toBe(31);
    expect(graphK(10, 100_000, 10_000)).toBe(166);
    expect(graphK(10, 1000, 1)).toBe(1000);
  });
});
