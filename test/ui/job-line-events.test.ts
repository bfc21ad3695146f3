import { describe, expect, it } from "vitest";
import type { JobEvent } from "../../src/contracts/events.js";
import { createInkReporter } from "../../src/ui/ink-reporter.js";
import { createJsonReporter } from "../../src/ui/json-reporter.js";
import { createPlainReporter } from "../../src/ui/plain-reporter.js";
import { MemoryStream } from "./fixtures.js";

// What docker and deploy aks used to write to stderr themselves; now every reporter renders the same events.
const events: JobEvent[] = [
  { type: "log", line: "Step 3/9 : COPY . /app" },
  { type: "aks", event: { type: "azure", target: "resource group mosaic", outcome: "created" } },
  {
    type: "aks",
    event: {
      type: "job",
      job: "featurize-1",
      total: 4,
      succeeded: 1,
      failed: 0,
      active: 3,
      retries: 1,
      failedIndexes: "",
    },
  },
  { type: "aks", event: { type: "endpoint", url: "https://mosaic.example.org" } },
];

const people = [
  "Step 3/9 : COPY . /app",
  "created   resource group mosaic",
  "job       featurize-1: 1/4 shards done, 3 running, 1 retried",
  "endpoint  https://mosaic.example.org",
  "",
];

describe("log and AKS events through the reporters", () => {
  it("plain: each event is its line, as it was written before (no clock prefix)", () => {
    const stream = new MemoryStream();
    const reporter = createPlainReporter(stream, { env: {} });
    for (const event of events) reporter.emit(event);
    reporter.close();
    expect(stream.text.split("\n")).toEqual(people);
  });

  it("ink, before any dashboard is up: the same plain lines", async () => {
    const stream = new MemoryStream();
    const reporter = createInkReporter(stream, { env: {}, color: false });
    for (const event of events) reporter.emit(event);
    await reporter.close();
    expect(stream.text.split("\n")).toEqual(people);
  });

  it("json: a log line is {type:log,line}; an AKS event keeps its keys (absent ones left out), type aks-*", () => {
    const stream = new MemoryStream();
    const reporter = createJsonReporter(stream);
    for (const event of events) reporter.emit(event);
    const lines = stream.text.split("\n").filter(Boolean);
    expect(lines[1]).toBe('{"type":"aks-azure","target":"resource group mosaic","outcome":"created"}');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { type: "log", line: "Step 3/9 : COPY . /app" },
      { type: "aks-azure", target: "resource group mosaic", outcome: "created" },
      {
        type: "aks-job",
        job: "featurize-1",
        total: 4,
        succeeded: 1,
        failed: 0,
        active: 3,
        retries: 1,
        failedIndexes: "",
      },
      { type: "aks-endpoint", url: "https://mosaic.example.org" },
    ]);
  });
});
