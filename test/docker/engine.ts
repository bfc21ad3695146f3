import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** Runs the docker CLI directly (test setup and cleanup only; mosaic itself goes through src/infra). */
export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await exec("docker", args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

export async function engineAnswers(): Promise<boolean> {
  return docker("version", "--format", "{{.Server.Version}}").then(
    () => true,
    () => false,
  );
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function danglingImages(): Promise<Set<string>> {
  const out = await docker("images", "--quiet", "--no-trunc", "--filter", "dangling=true");
  return new Set(out.split("\n").filter(Boolean));
}
