import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { ContextPlan } from "./plan-context.js";

/**
 * A content hash of everything that goes into an image: each file's target path and sha256, the
 * generated files, and the build args. Same inputs, same hash, whatever the files' dates; the image is
 * labelled with it so an unchanged context is not rebuilt. 32 hex characters.
 */
export async function hashContext(
  plan: ContextPlan,
  buildArgs: Readonly<Record<string, string>> = {},
  concurrency = 8,
): Promise<string> {
  const digests = new Array<string>(plan.files.length);
  let next = 0;
  const worker = async () => {
    while (next < plan.files.length) {
      const i = next++;
      digests[i] = await hashFile(plan.files[i]!.source);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));

  const lines: string[] = [];
  plan.files.forEach((entry, i) => void lines.push(`file ${entry.target} ${digests[i]}`));
  for (const file of plan.generated) lines.push(`generated ${file.target} ${sha256(file.content)}`);
  for (const dir of plan.dirs) lines.push(`dir ${dir}`);
  for (const [key, value] of Object.entries(buildArgs)) lines.push(`arg ${key}=${value}`);
  return sha256(lines.sort().join("\n")).slice(0, 32);
}

const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
