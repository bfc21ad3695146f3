import { UsageError } from "../errors.js";

/** `docker run` / `deploy local` flags that reach `mosaic serve` inside the container. */
export interface ContainerServeFlags {
  /** `-e NAME=VALUE` (value on the docker command line) or `-e NAME` (copied from this environment). */
  env?: string[] | undefined;
  allowHost?: string[] | undefined;
  allowCidr?: string[] | undefined;
  maxResults?: number | undefined;
  engine?: string | undefined;
}

export interface ContainerServeOptions {
  env: Record<string, string>;
  /** Names the docker CLI copies from its own environment: their values never reach an argv. */
  inheritEnv: string[];
  serveArgs: string[];
  /** Lines telling the user what the container gets from their environment. */
  notes: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variable that makes the service's search routes require `x-api-key`. */
export const API_KEY_ENV = "MOSAIC_API_KEY";

/**
 * Turns the flags into the container's environment and serve arguments. MOSAIC_API_KEY, when set
 * here, is passed by name (never its value on a command line), so the deployed service asks for the same
 * key `mosaic query --service` sends.
 */
export function containerServeOptions(
  flags: ContainerServeFlags,
  hostEnv: Record<string, string | undefined>,
): ContainerServeOptions {
  const env: Record<string, string> = {};
  const inherit = new Set<string>();
  for (const entry of flags.env ?? []) {
    const eq = entry.indexOf("=");
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (!ENV_NAME.test(name)) {
      throw new UsageError(`--env "${entry}" is not NAME=VALUE or NAME`, {
        hint: "e.g. --env MOSAIC_ENGINE=exact, or --env MOSAIC_API_KEY to pass this shell's value",
      });
    }
    if (eq >= 0) env[name] = entry.slice(eq + 1);
    else if (hostEnv[name] === undefined) {
      throw new UsageError(`--env ${name}: ${name} is not set in this environment`, {
        hint: `Export it first (export ${name}=...) or pass --env ${name}=VALUE.`,
      });
    } else inherit.add(name);
  }
  const notes: string[] = [];
  if (hostEnv[API_KEY_ENV] && !(API_KEY_ENV in env) && !inherit.has(API_KEY_ENV)) {
    inherit.add(API_KEY_ENV);
    notes.push(`${API_KEY_ENV} is set here: the container gets it, so its search routes require x-api-key`);
  }
  const serveArgs: string[] = [];
  for (const host of flags.allowHost ?? []) serveArgs.push("--allow-host", host);
  for (const cidr of flags.allowCidr ?? []) serveArgs.push("--allow-cidr", cidr);
  if (flags.maxResults !== undefined) serveArgs.push("--max-results", String(flags.maxResults));
  if (flags.engine !== undefined) serveArgs.push("--engine", flags.engine);
  return { env, inheritEnv: [...inherit], serveArgs, notes };
}
