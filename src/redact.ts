/**
 * Credential-bearing query parameters (Azure SAS signatures, OAuth tokens, API keys), also when URL-encoded
 * inside another URL's query (`?url=https%3A...%3Fsig%3D...`).
 */
const SECRET_PARAM =
  /((?:[?&;]|%3F|%26)(?:sig|signature|token|access_token|api[-_]?key|x-api-key|code|password)(?:=|%3D))(?:[^&;\s"'#%]|%(?!26)[0-9A-F]{2})*/gi;
/** AccountKey / SharedAccessSignature values in Azure connection strings. */
const CONNECTION_SECRET = /((?:^|;|\s)\s*(?:AccountKey|SharedAccessSignature)\s*=)[^;\s"']*/gi;

/**
 * Blanks secrets in any text headed for a log, an error, the index or the terminal. `secrets` are exact
 * values known to the caller (an account key from the environment) that are blanked wherever they appear,
 * even outside a recognisable `key=` form.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(SECRET_PARAM, "$1REDACTED").replace(CONNECTION_SECRET, "$1REDACTED");
  for (const secret of secrets) {
    // Short values would blank ordinary words; real keys and signatures are long.
    if (secret !== undefined && secret.length >= 8) out = out.split(secret).join("REDACTED");
  }
  return out;
}
