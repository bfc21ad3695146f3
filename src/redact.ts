/**
 * Credential-bearing query parameters (Azure SAS signatures, OAuth tokens, API keys), also when URL-encoded
 * inside another URL's query (`?url=https%3A...%3Fsig%3D...`).
 */
const SECRET_PARAM =
  /((?:[?&;]|%3F|%26)(?:sig|signature|token|access_token|api[-_]?key|x-api-key|code|password)(?:=|%3D))(?:[^&;\s"'#%]|%(?!26)[0-9A-F]{2})*/gi;
/** AccountKey / SharedAccessSignature values in Azure connection strings. */
const CONNECTION_SECRET = /((?:^|;|\s)\s*(?:AccountKey|SharedAccessSignature)\s*=)[^;\s"']*/gi;
/** user:password@ in a URL. */
const USER_INFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:?#]+:[^\s/@?#]*@/gi;

/**
 * Blanks secrets in any text headed for a log, an error, the index or the terminal. `secrets` are exact
 * values known to the caller (an account key from the environment) that are blanked wherever they appear,
 * even outside a recognisable `key=` form.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text
    .replace(SECRET_PARAM, "$1REDACTED")
    .replace(CONNECTION_SECRET, "$1REDACTED")
    .replace(USER_INFO, "$1REDACTED@");
  for (const secret of secrets) {
    // Short values would blank ordinary words; real keys and signatures are long.
    if (secret !== undefined && secret.length >= 8) out = out.split(secret).join("REDACTED");
  }
  return out;
}

/** Query parameters that are credentials in themselves. */
const SECRET_NAME = /^(?:sig|signature|token|access_token|api[-_]?key|x-api-key|code|password)$/i;
/** The other fields of an Azure SAS token: useless without `sig`, and they describe the grant. */
const SAS_FIELDS = new Set(
  "sv ss srt sp se st spr sip si sr sdd skoid sktid skt ske sks skv saoid suoid scid ses".split(" "),
);

/**
 * An image reference fit to store or show: a URL loses its user-info, its credential parameters and
 * (when it carries a SAS `sig`) the rest of the SAS token, keeping the blob path and any other query.
 * What is not a URL is passed through `redact`.
 */
export function stripCredentials(ref: string): string {
  if (!/^https?:\/\//i.test(ref)) return redact(ref);
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    return redact(ref);
  }
  const keys = [...url.searchParams.keys()];
  const sas = keys.some((key) => key.toLowerCase() === "sig");
  const drop = keys.filter((key) => SECRET_NAME.test(key) || (sas && SAS_FIELDS.has(key.toLowerCase())));
  if (drop.length === 0 && url.username === "" && url.password === "") return redact(ref);
  for (const key of new Set(drop)) url.searchParams.delete(key);
  url.username = "";
  url.password = "";
  // Nested, URL-encoded secrets in the parameters that stay are still blanked.
  return redact(url.toString());
}

/** A quick test (no URL parsing) for text that `stripCredentials` or `redact` might change. */
export function mayHoldCredentials(text: string): boolean {
  return /(?:[?&;]|%3F|%26)(?:sig|signature|token|access_token|api[-_]?key|x-api-key|code|password)(?:=|%3D)|:\/\/[^\s/@?#]+:[^\s/@?#]*@|AccountKey|SharedAccessSignature/i.test(
    text,
  );
}

/** A record with credentials stripped from its image and from every metadata or facet value. */
export function stripRecordCredentials<
  T extends { image: string; facets: Record<string, string>; meta: Record<string, string> },
>(record: T): T {
  const clean = (values: Record<string, string>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) out[key] = stripCredentials(value);
    return out;
  };
  return {
    ...record,
    image: stripCredentials(record.image),
    facets: clean(record.facets),
    meta: clean(record.meta),
  };
}
