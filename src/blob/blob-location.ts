import { UsageError } from "../errors.js";
import type { BlobSettings } from "./blob-settings.js";
import { redact } from "../redact.js";

/** One blob (or a prefix of blobs) in Azure Blob Storage, however the user spelled it. */
export interface BlobRef {
  account: string;
  /** Blob service endpoint without a trailing slash: https://acct.blob.core.windows.net, or Azurite's http://127.0.0.1:port/acct. */
  endpoint: string;
  container: string;
  /** Blob name (or prefix) without a leading slash; "" is the container's root. */
  path: string;
  /** The SAS query (without "?") when the location carried one. */
  sas?: string;
}

const AZURE_HOST = /^([a-z0-9]{3,24})\.blob\.core\.(?:windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)$/i;
const CONTAINER = /^(?:\$root|[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9])$/;
const ACCOUNT_HINT =
  "Set AZURE_STORAGE_ACCOUNT, `azure.account` in the config, or AZURE_STORAGE_CONNECTION_STRING.";

/**
 * Recognises blob locations: `az://<container>/<path>` (against the configured account),
 * `https://<account>.blob.core.windows.net/<container>/<path>[?SAS]`, and any URL under the connection
 * string's BlobEndpoint (Azurite). Returns undefined for anything else (local paths, other URLs).
 */
export function parseBlobLocation(location: string, settings: BlobSettings): BlobRef | undefined {
  if (/^az:\/\//i.test(location)) return parseShortForm(location, settings);
  if (!/^https?:\/\//i.test(location) || !URL.canParse(location)) return undefined;
  const url = new URL(location);
  const sas = /(?:^\?|&)sig=/i.test(url.search) ? url.search.slice(1) : undefined;
  const configured = settings.connection?.blobEndpoint;
  if (configured !== undefined && URL.canParse(configured)) {
    const base = new URL(configured);
    const basePath = base.pathname.replace(/\/+$/, "");
    if (url.origin === base.origin && url.pathname.startsWith(`${basePath}/`)) {
      const rest = url.pathname.slice(basePath.length + 1);
      return withSas(splitContainer(rest, settings.connection!.account, configured, location), sas);
    }
  }
  const account = AZURE_HOST.exec(url.hostname)?.[1];
  if (account === undefined) return undefined;
  return withSas(splitContainer(url.pathname.slice(1), account.toLowerCase(), url.origin, location), sas);
}

/** The blob's URL without any SAS: safe to log, to store in an index, and to use as a cache key. */
export function blobUrl(ref: BlobRef): string {
  const name = ref.path.split("/").map(encodeURIComponent).join("/");
  return ref.path === "" ? `${ref.endpoint}/${ref.container}` : `${ref.endpoint}/${ref.container}/${name}`;
}

/** `ref` + `/name` (same account, container and SAS). */
export function childRef(ref: BlobRef, name: string): BlobRef {
  const prefix = ref.path.replace(/\/+$/, "");
  return { ...ref, path: prefix === "" ? name : `${prefix}/${name}` };
}

function parseShortForm(location: string, settings: BlobSettings): BlobRef {
  const account = settings.account;
  if (account === undefined) {
    throw new UsageError(`${redact(location)} needs a storage account to resolve against.`, {
      hint: ACCOUNT_HINT,
    });
  }
  const rest = location.slice("az://".length).replace(/[?#].*$/, "");
  const endpoint =
    settings.connection?.account === account
      ? settings.connection.blobEndpoint
      : `https://${account}.blob.core.windows.net`;
  // az:///path takes the container from the config.
  const withContainer = rest.startsWith("/") && settings.container ? `${settings.container}${rest}` : rest;
  return splitContainer(withContainer, account, endpoint, location);
}

function splitContainer(rawPath: string, account: string, endpoint: string, location: string): BlobRef {
  const slash = rawPath.indexOf("/");
  const container = slash < 0 ? rawPath : rawPath.slice(0, slash);
  if (!CONTAINER.test(container)) {
    throw new UsageError(`${redact(location)} does not name a valid blob container ("${container}").`, {
      hint: "Write az://<container>/<path>; container names are 3-63 lower-case letters, digits and dashes.",
    });
  }
  const encoded = slash < 0 ? "" : rawPath.slice(slash + 1);
  let path: string;
  try {
    path = encoded.split("/").map(decodeURIComponent).join("/");
  } catch {
    throw new UsageError(`${redact(location)} has a malformed %-escape in its path.`, {
      hint: "Percent-encode blob names as in a URL (a space is %20).",
    });
  }
  return { account, endpoint: endpoint.replace(/\/+$/, ""), container, path };
}

function withSas(ref: BlobRef, sas: string | undefined): BlobRef {
  return sas === undefined ? ref : { ...ref, sas };
}
