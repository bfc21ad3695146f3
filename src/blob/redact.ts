/**
 * Credential-bearing pieces of Azure Storage text: SAS signatures in URLs (also URL-encoded), and
 * AccountKey / SharedAccessSignature values in connection strings.
 */
const SAS_SIGNATURE = /((?:[?&;]|%3F|%26)sig(?:=|%3D))(?:[^&;\s"'#%]|%(?!26)[0-9A-F]{2})*/gi;
const CONNECTION_SECRET = /((?:^|;|\s)\s*(?:AccountKey|SharedAccessSignature)\s*=)[^;\s"']*/gi;

/**
 * Blanks storage secrets in any text headed for a log, an error, the index or the terminal. `secrets`
 * are exact values known to the caller (an account key from the environment) that are blanked wherever
 * they appear, even outside a recognisable `key=` form.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(SAS_SIGNATURE, "$1REDACTED").replace(CONNECTION_SECRET, "$1REDACTED");
  for (const secret of secrets) {
    // Short values would blank ordinary words; real keys and signatures are long.
    if (secret !== undefined && secret.length >= 8) out = out.split(secret).join("REDACTED");
  }
  return out;
}
