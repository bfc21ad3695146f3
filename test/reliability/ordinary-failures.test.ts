import { createServer } from "node:net";
import { PassThrough } from "node:stream";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { ImageFailure } from "../../src/images/failure.js";
import { runCli } from "../../src/run-cli.js";

// Defect J8: ordinary failures — a full disk, a missing query image, a non-image or 404 URL, a port in
// use — reached the error boundary as plain errors and were called "a bug in mosaic". Each must be a
// clear error with a hint and exit 1.

async function failWith(error: unknown, json = false) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const io = { stdout, stderr, env: {}, cwd: process.cwd(), signal: new AbortController().signal };
  const build = () =>
    new Command("mosaic")
      .exitOverride()
      .option("--json")
      .action(() => {
        throw error;
      });
  const code = await runCli(json ? ["--json"] : [], io, build);
  return { code, stdout: out, stderr: err };
}

async function portInUse(): Promise<Error> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  const { port } = holder.address() as { port: number };
  const second = createServer();
  const error = await new Promise<Error>((resolve) => {
    second.once("error", resolve);
    second.listen(port, "127.0.0.1");
  });
  await new Promise((resolve) => holder.close(resolve));
  return error;
}

const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), {
  code: "ENOSPC",
  path: "/data/index.tmp-1-ab/vectors.f32",
});

describe("ordinary failures are explained, never called a bug", () => {
  it.each([
    ["a full disk", enospc, "No space left on the device: /data/index.tmp-1-ab/vectors.f32", "--out"],
    [
      "a missing query image",
      new ImageFailure("not_found", "/x/nope.jpg does not exist"),
      "does not exist",
      "path",
    ],
    [
      "a 404 query URL",
      new ImageFailure("http_404", "HTTP 404 from https://e.test/a.jpg", { status: 404 }),
      "404",
      "URL",
    ],
    [
      "a web page as a query",
      new ImageFailure("not_an_image", "https://e.test/ is not a known image format"),
      "not_an_image",
      "JPEG",
    ],
    [
      "a damaged image",
      new ImageFailure("decode_failed", "cannot decode image: bad Huffman code"),
      "decode",
      "re-export",
    ],
  ])("%s", async (_what, error, message, hint) => {
    const run = await failWith(error);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toMatch(new RegExp(`Hint: .*${hint}`));
    expect(run.stderr).not.toContain("This is a bug");
  });

  it("a port already in use (a real EADDRINUSE)", async () => {
    const run = await failWith(await portInUse());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("The port is already in use: 127.0.0.1:");
    expect(run.stderr).toContain("--port 0");
    expect(run.stderr).not.toContain("This is a bug");
  });

  it("--json says failure, not bug", async () => {
    const run = await failWith(enospc, true);
    expect(JSON.parse(run.stdout).error).toMatchObject({ kind: "failure", exitCode: 1 });
  });
});
