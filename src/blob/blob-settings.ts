import { type ConnectionInfo, parseConnectionString } from "./connection-string.js";

/** The `azure` section of the config. */
export interface AzureConfig {
  account?: string | undefined;
  container?: string | undefined;
}

/** Where Azure credentials and defaults come from, resolved once from env and config. */
export interface BlobSettings {
  /** The account `az://` locations resolve against (AZURE_STORAGE_ACCOUNT, azure.account, or the connection string's). */
  account?: string;
  /** Default container for `az:///path` (azure.container). */
  container?: string;
  connection?: ConnectionInfo;
  /** The raw connection string, handed to the SDK as is. */
  connectionString?: string;
  /** AZURE_STORAGE_KEY, used for AZURE_STORAGE_ACCOUNT. */
  accountKey?: string;
  envAccount?: string;
}

/** Reads AZURE_STORAGE_CONNECTION_STRING / _ACCOUNT / _KEY and the config's azure section. */
export function blobSettingsFrom(
  env: Record<string, string | undefined>,
  azure: AzureConfig = {},
): BlobSettings {
  const settings: BlobSettings = {};
  const connectionString = env.AZURE_STORAGE_CONNECTION_STRING?.trim();
  if (connectionString) {
    settings.connectionString = connectionString;
    settings.connection = parseConnectionString(connectionString);
  }
  const envAccount = env.AZURE_STORAGE_ACCOUNT?.trim();
  if (envAccount) settings.envAccount = envAccount;
  const key = env.AZURE_STORAGE_KEY?.trim();
  if (key) settings.accountKey = key;
  const account = envAccount || azure.account || settings.connection?.account;
  if (account) settings.account = account;
  if (azure.container) settings.container = azure.container;
  return settings;
}

/** Every secret value the settings hold, for redact()'s exact-match pass. */
export function knownSecrets(settings: BlobSettings): string[] {
  return [settings.accountKey, settings.connection?.accountKey, settings.connection?.sas].filter(
    (s): s is string => s !== undefined,
  );
}
