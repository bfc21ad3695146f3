import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCatalog } from "../../src/catalog/read-catalog.js";
import { UsageError } from "../../src/errors.js";
import { collect } from "../helpers/collect.js";
import { makeTempDir } from "../helpers/temp-dir.js";

// Defect J11 (first part): control bytes from a garbage catalog header were echoed raw to the terminal.

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await makeTempDir("mosaic-garbage-")));
afterAll(() => cleanup());

describe("a garbage catalog header", () => {
  it("is a usage error whose message holds no control bytes", async () => {
    const file = path.join(dir, "garbage.csv");
    await writeFile(file, Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x2c, 0x00, 0x9b, 0x0a, 0x41, 0x0a]));
    const error = await collect(readCatalog(file, { imageColumns: ["image"], facets: {} })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain("Header of");
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(message).toContain("\\u001b[2J\\u0007");
  });
});
