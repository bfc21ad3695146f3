import { AbortedError, ExternalError, MosaicError } from "../errors.js";
import { type BlobRef, blobUrl } from "./blob-location.js";
import { BlobStoreError } from "./blob-store.js";
import { redact } from "../redact.js";

/**
 * Turns a failed storage call into the error the CLI shows: what was being done, where (the blob's URL
 * without any SAS), why, and how to fix it. Everything passes through redact() once more.
 */
export function storageError(error: unknown, action: string, ref: BlobRef): MosaicError {
  if (error instanceof MosaicError) return error;
  const where = blobUrl(ref);
  if (!(error instanceof BlobStoreError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new ExternalError(redact(`Azure Storage failed (${action} at ${where}): ${message}`));
  }
  const why = redact(error.message);
  switch (error.kind) {
    case "container_not_found":
      return new MosaicError(
        `Container "${ref.container}" does not exist in storage account ${ref.account} (${action} at ${where}).`,
        {
          hint: `Create it (az storage container create --name ${ref.container} --account-name ${ref.account}) or fix the location.`,
        },
      );
    case "not_found":
      return new MosaicError(`Blob ${where} does not exist (${action}).`, {
        hint: "Check the path; blob names are case-sensitive.",
      });
    case "auth":
      return new MosaicError(`Azure Storage refused access (${action} at ${where}): ${why}`, {
        hint: "Check AZURE_STORAGE_CONNECTION_STRING / AZURE_STORAGE_KEY, the SAS token's expiry and permissions, or your role (Storage Blob Data Reader/Contributor) for `az login`.",
      });
    case "network":
    case "timeout":
      return new ExternalError(`Could not reach ${ref.endpoint} (${action} at ${where}): ${why}`, {
        hint: "Check the network, the account name and (for Azurite) that the emulator is running.",
      });
    default:
      return new ExternalError(`Azure Storage failed (${action} at ${where}): ${why}`, {
        hint: "Retry; if it persists, check the storage account's health in the Azure portal.",
      });
  }
}

/** `await guard(work, "reading the catalog", ref)`: the same call, with storage failures translated. */
export async function guard<T>(work: () => Promise<T>, action: string, ref: BlobRef): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AbortedError) throw error;
    throw storageError(error, action, ref);
  }
}
