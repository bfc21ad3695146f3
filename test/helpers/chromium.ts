import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's chromium (`apt-get install -y chromium`, as .ci/run does), or MOSAIC_CHROMIUM. */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

let found: { path: string } | { skip: string } | undefined;

/**
 * The headless Chromium the browser tests drive. Missing, it is installed with apt-get when this runs
 * as root on Debian (CI); otherwise the reason to skip, which the test prints.
 */
export function findChromium(): { path: string } | { skip: string } {
  if (found) return found;
  const fromEnv = process.env.MOSAIC_CHROMIUM;
  if (fromEnv) {
    found = existsSync(fromEnv) ? { path: fromEnv } : { skip: `MOSAIC_CHROMIUM=${fromEnv} does not exist` };
    return found;
  }
  const have = () => CANDIDATES.find((p) => existsSync(p));
  let path = have();
  if (!path && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    try {
      execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
        stdio: "ignore",
        timeout: 300_000,
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    } catch (error) {
      found = {
        skip: `chromium is not installed and apt-get could not install it: ${(error as Error).message}`,
      };
      console.warn(`browser tests skipped: ${found.skip}`);
      return found;
    }
    path = have();
  }
  found = path
    ? { path }
    : { skip: "chromium is not installed (apt-get install -y chromium, or set MOSAIC_CHROMIUM)" };
  if ("skip" in found) console.warn(`browser tests skipped: ${found.skip}`);
  return found;
}

export async function launchChromium(path: string): Promise<Browser> {
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: path, args: ["--no-sandbox", "--disable-gpu"] });
}
