import { UsageError } from "../errors.js";
import { redact } from "../redact.js";

/** What mosaic needs from an Azure Storage connection string. */
export interface ConnectionInfo {
  account: string;
  /** Blob service endpoint without a trailing slash, e.g. http://127.0.0.1:10000/devstoreaccount1. */
  blobEndpoint: string;
  accountKey?: string;
  sas?: string;
}

const DEV_KEY_ACCOUNT = "devstoreaccount1";

/**
 * Parses `Key=Value;…` connection strings (account key, SAS, custom BlobEndpoint, or
 * UseDevelopmentStorage=true). Throws UsageError with the secrets blanked when it cannot be used.
 */
export function parseConnectionString(text: string): ConnectionInfo {
  const fields = new Map<string, string>();
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    // Values (keys, SAS) may contain "=", so only the first one separates.
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  if (fields.get("usedevelopmentstorage")?.toLowerCase() === "true") {
    return { account: DEV_KEY_ACCOUNT, blobEndpoint: `http://127.0.0.1:10000/${DEV_KEY_ACCOUNT}` };
  }
  const explicit = fields.get("blobendpoint")?.replace(/\/+$/, "");
  const account = fields.get("accountname") ?? (explicit ? accountFromEndpoint(explicit) : undefined);
  if (!account) {
    throw new UsageError(`AZURE_STORAGE_CONNECTION_STRING has no AccountName: ${redact(text)}`, {
      hint: "Copy the connection string from the storage account's Access keys page in the Azure portal.",
    });
  }
  const protocol = fields.get("defaultendpointsprotocol") ?? "https";
  const suffix = fields.get("endpointsuffix") ?? "core.windows.net";
  const info: ConnectionInfo = {
    account,
    blobEndpoint: explicit ?? `${protocol}://${account}.blob.${suffix}`,
  };
  const key = fields.get("accountkey");
  const sas = fields.get("sharedaccesssignature");
  if (key) info.accountKey = key;
  if (sas) info.sas = sas.replace(/^\?/, "");
  return info;
}

/** `https://acct.blob.core.windows.net` → acct; path-style (Azurite) `http://host:port/acct` → acct. */
function accountFromEndpoint(endpoint: string): string | undefined {
  if (!URL.canParse(endpoint)) return undefined;
  const url = new URL(endpoint);
  const segment = url.pathname.split("/").filter(Boolean)[0];
  return segment ?? /^([a-z0-9]+)\.blob\./i.exec(url.hostname)?.[1];
}
