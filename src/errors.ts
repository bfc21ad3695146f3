/**
 * The error vocabulary of mosaic. Core code throws these; only src/cli.ts turns them into exit codes.
 * Every error says what happened; `hint` says how to fix it.
 */
export interface ErrorOptions {
  hint?: string;
  cause?: unknown;
}

/** A failure the user can act on (exit 1). */
export class MosaicError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number = 1;
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad flags, arguments or config (exit 2). */
export class UsageError extends MosaicError {
  override readonly exitCode: number = 2;
}

/** A config file or value that fails validation; names the file and the field path (exit 2). */
export class ConfigError extends UsageError {
  constructor(
    readonly source: string,
    readonly issues: readonly { path: string; message: string }[],
    options: ErrorOptions = {},
  ) {
    super(
      `Invalid config in ${source}:\n${issues.map((i) => `  - ${i.path || "(root)"}: ${i.message}`).join("\n")}`,
      { hint: "Fix the field(s) above; `mosaic --help` and the README list every option.", ...options },
    );
  }
}

/** A child process, daemon or remote service failed; carries its exit code when there is one. */
export class ExternalError extends MosaicError {
  override readonly exitCode: number;
  constructor(message: string, options: ErrorOptions & { exitCode?: number } = {}) {
    super(message, options);
    this.exitCode = options.exitCode ?? 1;
  }
}

/** The job was interrupted (Ctrl-C / SIGTERM); work done so far was saved where possible (exit 130). */
export class AbortedError extends MosaicError {
  override readonly exitCode: number = 130;
  constructor(message = "Interrupted", options: ErrorOptions = {}) {
    super(message, options);
  }
}

/** Throws AbortedError when the signal has fired; call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError();
}
