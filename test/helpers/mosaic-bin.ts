import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(REPO_ROOT, "bin/mosaic.js");

export interface BinRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Fails with the fix when the built CLI or web UI is missing. */
export function assertBuilt(): void {
  for (const file of ["dist/src/cli.js", "dist/web/index.html"])
    if (!existsSync(path.join(REPO_ROOT, file)))
      throw new Error(`${file} is missing: run \`npm run build\` first`);
}

/** Runs the built binary as a user would, without a TTY. */
export function runMosaic(args: string[], cwd: string, env: Record<string, string> = {}): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", CI: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningServe {
  url: string;
  stop(): Promise<void>;
}

/** `mosaic serve --port 0` on 127.0.0.1; resolves with its URL once it logs "ready". */
export function startServe(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<RunningServe> {
  const child: ChildProcess = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", CI: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    let stderr = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`mosaic serve did not become ready in 120 s:\n${stderr}`));
    }, 120_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const ready = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"ready"/.exec(stderr);
      if (ready) {
        clearTimeout(timer);
        resolve({ url: ready[1]!, stop });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`mosaic serve exited (${code}) before it was ready:\n${stderr}`));
    });
  });
}
