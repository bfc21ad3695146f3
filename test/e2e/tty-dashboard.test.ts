import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureSampleCollection } from "../../src/sample/sample-collection.js";
import { SHARED_CACHE_DIR } from "../helpers/shared-cache.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/mosaic.js");
const hasScript = spawnSync("script", ["--version"]).status === 0;
if (!hasScript) console.warn("[skip] tty dashboard tests: util-linux `script` is not installed");

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, "");
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** Runs the built binary on a real pseudo-terminal (util-linux `script`), 110 columns wide. */
function onTty(args: string[], cwd: string, onOutput?: (text: string, stdin: NodeJS.WritableStream) => void) {
  const command = `stty cols 110 rows 40; ${quote(process.execPath)} ${quote(bin)} ${args.map(quote).join(" ")}; echo "EXIT=$?"`;
  return new Promise<string>((resolve, reject) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd,
      env: {
        ...process.env,
        TERM: "xterm-256color",
        CI: "",
        NO_COLOR: "",
        MOSAIC_CACHE_DIR: SHARED_CACHE_DIR,
      },
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      onOutput?.(stripAnsi(out), child.stdin);
    });
    child.on("error", reject);
    child.on("close", () => resolve(stripAnsi(out)));
  });
}

describe.skipIf(!hasScript)("featurize on a terminal", () => {
  let cwd = "";
  let bigCatalog = "";

  beforeAll(async () => {
    if (!existsSync(path.join(root, "dist/src/cli.js")))
      throw new Error("dist/ is missing: run `npm run build` first");
    cwd = await mkdtemp(path.join(tmpdir(), "mosaic-tty-"));
    const sample = await ensureSampleCollection(SHARED_CACHE_DIR);
    const images = (await readdir(path.join(path.dirname(sample.catalog), "images"))).sort();
    // Long enough that Ctrl-C lands mid-run.
    const rows = Array.from({ length: 4000 }, (_, i) => {
      const file = path.join(path.dirname(sample.catalog), "images", images[i % images.length] as string);
      return `r${i}\tT${i}\t${file}\tC${i % 5}\tK${i % 3}`;
    });
    bigCatalog = path.join(cwd, "big.tsv");
    await writeFile(bigCatalog, `id\tTitle\tThumbnail_Url\tCulture\tClassification\n${rows.join("\n")}\n`);
  }, 120_000);

  it("shows the live dashboard and the final summary", async () => {
    const out = await onTty(["featurize", "--out", "idx"], cwd);
    for (const stage of ["catalog", "download", "decode", "embed", "index"])
      expect(out).toMatch(new RegExp(`${stage}\\s+\\S`));
    expect(out).toContain("Engine   mobilenet-v2-art · CPU");
    expect(out).toMatch(/GPU\s+no NVIDIA GPU found/);
    expect(out).toMatch(/CPU\s+\d+%/);
    expect(out).toContain("Indexed 120 of 120 rows");
    expect(out).toContain("EXIT=0");
  });

  it("stops cleanly on Ctrl-C (SIGINT): says stopping, writes nothing, exits 130", async () => {
    // Plain mode (no pty): the signal path is the same; the dashboard's "stopping" frame is covered by the
    // reducer and component tests.
    const child = spawn(process.execPath, [bin, "featurize", "--catalog", bigCatalog, "--out", "stopped"], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", MOSAIC_CACHE_DIR: SHARED_CACHE_DIR },
    });
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && /catalog \d+/.test(stderr)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(sent).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/stopping/i);
    expect(stderr).toContain("Featurize interrupted; the previous index (if any) is unchanged.");
    expect(stderr).not.toContain("terminate called");
    expect(existsSync(path.join(cwd, "stopped"))).toBe(false);
  }, 120_000);
});
