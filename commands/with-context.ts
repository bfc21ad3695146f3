import type { Command } from "commander";
import type { Context, GlobalFlags } from "../src/wiring/context.js";
import type { CliIo } from "../src/wiring/io.js";

/**
 * The envelope every action shares: the context from the global flags and this command's config flags,
 * the work, then the reporter closed whatever happened. The wiring is imported here, on first use, so
 * `mosaic --help` or `--version` loads none of it (no Ink, no ONNX Runtime, no cloud SDKs).
 */
export async function withContext<T>(
  io: CliIo,
  globals: Command | GlobalFlags,
  configFlags: Record<string, unknown>,
  work: (ctx: Context) => Promise<T>,
): Promise<T> {
  const { createContext } = await import("../src/wiring/context.js");
  const flags = "optsWithGlobals" in globals ? (globals.optsWithGlobals() as GlobalFlags) : globals;
  const context = await createContext(flags, configFlags, io);
  try {
    return await work(context);
  } finally {
    await context.reporter.close();
  }
}
