import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";

/** Azurite's published development account key (not a secret: it is the same for every install). */
export const DEV_ACCOUNT = "devstoreaccount1";
export const DEV_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite {
  port: number;
  /** http://127.0.0.1:<port>/devstoreaccount1 */
  endpoint: string;
  connectionString: string;
  /** The same account with a wrong key (for auth-failure tests). */
  connectionStringWithKey(key: string): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`Azurite did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("successfully listens")) done();
    };
    const onExit = (code: number | null) => fail(new Error(`Azurite exited with ${code}:\n${output}`));
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
    }
    function done() {
      cleanup();
      resolve();
    }
    function fail(error: Error) {
      cleanup();
      reject(error);
    }
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Starts a real Azurite blob server on 127.0.0.1 (a free port, a fresh temp location). */
export async function startAzurite(): Promise<Azurite> {
  const main = path.join(
    path.dirname(createRequire(import.meta.url).resolve("azurite/package.json")),
    "dist/src/blob/main.js",
  );
  const location = await mkdtemp(path.join(tmpdir(), "mosaic-azurite-"));
  // A port picked then freed can, rarely, be taken before Azurite binds it; one retry covers that.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        main,
        "--blobHost",
        "127.0.0.1",
        "--blobPort",
        String(port),
        "--location",
        location,
        "--skipApiVersionCheck",
        "--silent",
        "--disableTelemetry",
        "--loose",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      await waitForListening(child, 30_000);
    } catch (error) {
      child.kill("SIGKILL");
      if (attempt < 2) continue;
      await rm(location, { recursive: true, force: true });
      throw error;
    }
    // Keep draining output so a chatty server never blocks on a full pipe.
    child.stdout?.resume();
    child.stderr?.resume();
    const endpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
    const withKey = (key: string) =>
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${key};BlobEndpoint=${endpoint};`;
    return {
      port,
      endpoint,
      connectionString: withKey(DEV_KEY),
      connectionStringWithKey: withKey,
      async stop() {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once("exit", resolve));
          child.kill("SIGTERM");
          await exited;
        }
        await rm(location, { recursive: true, force: true });
      },
    };
  }
}

/** Registers beforeAll/afterAll for one Azurite per test file; read `.current` inside tests. */
export function withAzurite(): { current: Azurite } {
  const holder = {} as { current: Azurite };
  beforeAll(async () => {
    holder.current = await startAzurite();
  });
  afterAll(async () => {
    await holder.current?.stop();
  });
  return holder;
}
