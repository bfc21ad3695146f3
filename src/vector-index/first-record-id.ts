import { createReadStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

/**
 * The id of an index's first artwork, read from the first line of records.jsonl (see
 * src/index/FORMAT.md) without loading the vectors; undefined for an empty or unreadable index.
 */
export async function firstRecordId(indexDir: string): Promise<string | undefined> {
  const stream = createReadStream(path.join(indexDir, "records.jsonl"), { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as { id?: unknown };
      return typeof record.id === "string" ? record.id : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    lines.close();
    stream.destroy();
  }
}
