import os from "node:os";
import path from "node:path";
import { loadConfig } from "../config/load-config.js";
import type { MosaicConfig } from "../config/schema.js";
import type { Reporter } from "../contracts/events.js";
import type { CliIo } from "./io.js";
import { createReporter } from "../ui/create-reporter.js";
import { colorEnabled } from "../ui/terminal-env.js";

/** Flags every command accepts (see `mosaic --help`). */
export interface GlobalFlags {
  config?: string;
  json?: boolean;
  tui?: boolean;
  verbose?: boolean;
  color?: boolean;
}

/** Everything a command needs, built once: resolved config, reporter, output and the abort signal. */
export interface Context {
  config: MosaicConfig;
  configFile: string | null;
  /** Dotted config path → "default", the file, "env MOSAIC_…" or "flag --…" (see loadConfig). */
  configSources: Record<string, string>;
  configWarnings: string[];
  cacheDir: string;
  cwd: string;
  json: boolean;
  verbose: boolean;
  /** Colour allowed (not --no-color, NO_COLOR or a dumb terminal). */
  color: boolean;
  /** A person watches a terminal: the Ink reporter was chosen (see chooseReporter); live panels may draw. */
  interactive: boolean;
  reporter: Reporter;
  /** Data for stdout (tables, JSON). People-facing text goes through the reporter on stderr. */
  out(text: string): void;
  signal: AbortSignal;
  io: CliIo;
}

export async function createContext(
  globals: GlobalFlags,
  flags: Record<string, unknown>,
  io: CliIo,
): Promise<Context> {
  const loaded = await loadConfig({
    cwd: io.cwd,
    configPath: globals.config,
    env: io.env,
    flags,
    // Not config.cacheDir: that is only known once the config is loaded.
    transpileCacheDir: path.join(defaultCacheDir(io.env), "config"),
  });
  const json = globals.json === true;
  const color = globals.color !== false && !io.env.NO_COLOR;
  const reporter = createReporter({
    json,
    tui: globals.tui !== false,
    color,
    stream: io.stderr,
    env: io.env,
  });
  // Through the reporter: a stderr line, or a {"type":"note"} event under --json.
  for (const warning of loaded.warnings) reporter.note(`warning: ${warning}`);
  if (globals.verbose === true) {
    reporter.note(
      loaded.file
        ? `config: ${loaded.file} (mosaic config shows every value and its source)`
        : `config: no config file in ${io.cwd}; defaults, MOSAIC_* env and flags only`,
    );
  }
  return {
    config: loaded.config,
    configSources: loaded.sources,
    configWarnings: loaded.warnings,
    configFile: loaded.file,
    cacheDir: path.resolve(io.cwd, loaded.config.cacheDir ?? defaultCacheDir(io.env)),
    cwd: io.cwd,
    json,
    verbose: globals.verbose === true,
    color: color && colorEnabled(io.env),
    interactive: reporter.kind === "ink",
    reporter,
    out: (text) => void io.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    signal: io.signal,
    io,
  };
}

export function defaultCacheDir(env: Record<string, string | undefined>): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "mosaic");
}
