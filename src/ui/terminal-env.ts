/** Environment as the reporters see it; pass process.env from the CLI, a literal in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Under CI (CI set to anything but "", "0" or "false") nothing animates and nobody is watching. */
export function isCI(env: Env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

/** https://no-color.org: NO_COLOR present and non-empty turns colour off; a dumb terminal has none. */
export function colorEnabled(env: Env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return env.TERM !== "dumb";
}

/** Spinners and live dashboards need a terminal that a person is watching and that can move the cursor. */
export function isInteractive(isTTY: boolean | undefined, env: Env): boolean {
  return isTTY === true && !isCI(env) && env.TERM !== "dumb";
}
