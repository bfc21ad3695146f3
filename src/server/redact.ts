/** Query parameters that carry credentials: Azure SAS signatures, OAuth tokens, API keys. */
const SECRET_PARAM =
  /((?:[?&;]|%3F|%26)(?:sig|signature|token|access_token|api[-_]?key|x-api-key|code|password)(?:=|%3D))(?:[^&;\s"'#%]|%(?!26)[0-9A-F]{2})*/gi;

/**
 * Blanks credential-looking query values in any text (a URL, a log message, an error), including URLs
 * nested URL-encoded inside another URL's query (`?url=https%3A...%3Fsig%3D...`).
 */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_PARAM, "$1REDACTED");
}
