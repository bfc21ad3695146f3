import type { BlobRef } from "./blob-location.js";
import type { BlobSettings } from "./blob-settings.js";

/** How a request for one blob authenticates; see chooseCredential for the order. */
export type BlobCredential =
  | { kind: "sas"; sas: string }
  | { kind: "connection-string"; connectionString: string }
  | { kind: "shared-key"; account: string; key: string }
  | { kind: "default" }
  /** Not chosen up front: the store falls back to it when the default chain fails on a public container. */
  | { kind: "anonymous" };

/**
 * Credentials in order: a SAS in the location, AZURE_STORAGE_CONNECTION_STRING (for its own account),
 * AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY (for that account), then DefaultAzureCredential
 * (managed identity, az login, workload identity…).
 */
export function chooseCredential(ref: BlobRef, settings: BlobSettings): BlobCredential {
  if (ref.sas !== undefined) return { kind: "sas", sas: ref.sas };
  if (settings.connectionString !== undefined && settings.connection?.account === ref.account) {
    return { kind: "connection-string", connectionString: settings.connectionString };
  }
  if (settings.accountKey !== undefined && settings.envAccount === ref.account) {
    return { kind: "shared-key", account: ref.account, key: settings.accountKey };
  }
  return { kind: "default" };
}

/** Words for error messages: which credential was tried, never its value. */
export function describeCredential(credential: BlobCredential): string {
  switch (credential.kind) {
    case "sas":
      return "the SAS token in the URL";
    case "connection-string":
      return "AZURE_STORAGE_CONNECTION_STRING";
    case "shared-key":
      return "AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY";
    case "default":
      return "DefaultAzureCredential (az login, managed identity, AZURE_CLIENT_* variables)";
    case "anonymous":
      return "anonymous (public) access";
  }
}
