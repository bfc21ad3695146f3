import { chmod, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** What the fake docker answers to a call whose argv starts with `prefix` (first match wins). */
export interface FakeDockerReply {
  prefix: string[];
  code?: number;
  stdout?: string;
  stderr?: string;
  /** For `run --cidfile F`: write this container id to F, as the real CLI does on create. */
  cid?: string;
}

/**
 * A stand-in `docker` executable (set MOSAIC_DOCKER_BIN to `bin`): records every argv (and the
 * environment names it was given) and answers from `replies`. For the adapter's argv contract where no
 * engine or registry can be reached; calls without a matching reply exit 0 silently.
 */
export async function writeFakeDocker(dir: string, replies: FakeDockerReply[]) {
  const bin = path.join(dir, "fake-docker.mjs");
  const log = path.join(dir, "fake-docker.log");
  const script = `#!/usr/bin/env node
import { appendFileSync, writeFileSync } from "node:fs";
const argv = process.argv.slice(2);
const replies = ${JSON.stringify(replies)};
appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv, apiKey: process.env.MOSAIC_API_KEY ?? null }) + "\\n");
const reply = replies.find((r) => r.prefix.every((p, i) => argv[i] === p)) ?? {};
const cidAt = argv.indexOf("--cidfile");
if (reply.cid && cidAt >= 0) writeFileSync(argv[cidAt + 1], reply.cid);
if (reply.stdout) process.stdout.write(reply.stdout);
if (reply.stderr) process.stderr.write(reply.stderr);
process.exit(reply.code ?? 0);
`;
  await writeFile(bin, script);
  await chmod(bin, 0o755);
  const calls = async (): Promise<{ argv: string[]; apiKey: string | null }[]> =>
    (await readFile(log, "utf8").catch(() => ""))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { argv: string[]; apiKey: string | null });
  return { bin, calls };
}
