import { copyFile, link, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ContextPlan } from "./plan-context.js";

/**
 * Materializes a planned context in `dir` (which must exist and be empty). Files are hard-linked when
 * the context is on the same file system (instant, no extra space) and copied otherwise.
 */
export async function writeContext(plan: ContextPlan, dir: string, concurrency = 16): Promise<void> {
  for (const sub of plan.dirs) await mkdir(path.join(dir, sub), { recursive: true });
  const parents = new Set(plan.files.map((f) => path.dirname(f.target)));
  for (const parent of [...parents].sort()) await mkdir(path.join(dir, parent), { recursive: true });

  let next = 0;
  let canLink = true;
  const worker = async () => {
    while (next < plan.files.length) {
      const entry = plan.files[next++]!;
      const target = path.join(dir, entry.target);
      if (canLink) {
        try {
          await link(entry.source, target);
          continue;
        } catch {
          canLink = false; // another device, or a file system without hard links
        }
      }
      await copyFile(entry.source, target);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  for (const file of plan.generated) await writeFile(path.join(dir, file.target), file.content);
}
