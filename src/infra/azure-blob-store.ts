import { Readable } from "node:stream";
import { DefaultAzureCredential } from "@azure/identity";
import {
  AnonymousCredential,
  BlobServiceClient,
  ContainerClient,
  StorageSharedKeyCredential,
  type StoragePipelineOptions,
} from "@azure/storage-blob";
import { AbortedError } from "../errors.js";
import type { BlobRef } from "../blob/blob-location.js";
import { type BlobSettings, knownSecrets } from "../blob/blob-settings.js";
import { type BlobFailureKind, type BlobStore, BlobStoreError } from "../blob/blob-store.js";
import { type BlobCredential, chooseCredential, describeCredential } from "../blob/choose-credential.js";
import { redact } from "../redact.js";

export interface AzureBlobStoreOptions {
  /** SDK tries per request, first included. Default 4; the image fetcher passes 1 and retries itself. */
  maxTries?: number;
  /** Per try. Default: the SDK's. */
  tryTimeoutMs?: number;
}

const ANONYMOUS: BlobCredential = { kind: "anonymous" };
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "REQUEST_SEND_ERROR",
]);

/**
 * The BlobStore backed by @azure/storage-blob. This is the only file that talks to Azure Storage; it
 * picks a credential per location (see chooseCredential) and turns SDK errors into redacted
 * BlobStoreErrors so no key or signature can leak through an error message.
 */
export function createAzureBlobStore(settings: BlobSettings, options: AzureBlobStoreOptions = {}): BlobStore {
  const pipeline: StoragePipelineOptions = {
    retryOptions: {
      maxTries: options.maxTries ?? 4,
      ...(options.tryTimeoutMs === undefined ? {} : { tryTimeoutInMs: options.tryTimeoutMs }),
    },
    userAgentOptions: { userAgentPrefix: "mosaic" },
  };
  const secrets = knownSecrets(settings);
  const containers = new Map<string, ContainerClient>();
  let defaultCredential: DefaultAzureCredential | undefined;
  /** Containers that answered anonymously after the default chain failed: skip the chain next time. */
  const publicContainers = new Set<string>();

  function containerFor(ref: BlobRef, credential: BlobCredential): ContainerClient {
    const key = `${credential.kind}\n${ref.endpoint}\n${ref.container}\n${ref.sas ?? ""}`;
    let client = containers.get(key);
    if (client !== undefined) return client;
    switch (credential.kind) {
      case "sas":
        client = new ContainerClient(
          `${ref.endpoint}/${ref.container}?${credential.sas}`,
          new AnonymousCredential(),
          pipeline,
        );
        break;
      case "connection-string":
        client = BlobServiceClient.fromConnectionString(
          credential.connectionString,
          pipeline,
        ).getContainerClient(ref.container);
        break;
      case "shared-key": {
        const shared = new StorageSharedKeyCredential(credential.account, credential.key);
        client = new BlobServiceClient(ref.endpoint, shared, pipeline).getContainerClient(ref.container);
        break;
      }
      case "default":
        defaultCredential ??= new DefaultAzureCredential();
        client = new BlobServiceClient(ref.endpoint, defaultCredential, pipeline).getContainerClient(
          ref.container,
        );
        break;
      case "anonymous":
        client = new ContainerClient(`${ref.endpoint}/${ref.container}`, new AnonymousCredential(), pipeline);
        break;
    }
    containers.set(key, client);
    return client;
  }

  /** Runs one SDK call with the location's credential, translating whatever it throws. */
  async function call<T>(
    ref: BlobRef,
    signal: AbortSignal | undefined,
    work: (c: ContainerClient) => Promise<T>,
  ) {
    const chosen = chooseCredential(ref, settings);
    const container = `${ref.endpoint}/${ref.container}`;
    const credential = chosen.kind === "default" && publicContainers.has(container) ? ANONYMOUS : chosen;
    try {
      return await work(containerFor(ref, credential));
    } catch (error) {
      if (signal?.aborted) throw new AbortedError();
      const failure = translate(error, credential, secrets);
      // Public containers (like the original MosAIc's image hosting) need no identity, but the default
      // chain fails without `az login` (or refuses plain http), and Azure answers 403 to an identity
      // lacking a data role. Those failures get one anonymous try; the original error is what's reported.
      const credentialFailed =
        failure instanceof BlobStoreError &&
        (failure.kind === "auth" || (failure.kind === "other" && failure.status === undefined));
      if (credential.kind !== "default" || !credentialFailed) throw failure;
      try {
        const result = await work(containerFor(ref, ANONYMOUS));
        publicContainers.add(container);
        return result;
      } catch {
        if (signal?.aborted) throw new AbortedError();
        throw failure;
      }
    }
  }

  const blob = (c: ContainerClient, ref: BlobRef) => c.getBlockBlobClient(ref.path);
  const abortOf = (signal: AbortSignal | undefined) => (signal === undefined ? {} : { abortSignal: signal });

  return {
    openRead: (ref, signal) =>
      call(ref, signal, async (c) => {
        const response = await blob(c, ref).download(0, undefined, abortOf(signal));
        const body = response.readableStreamBody;
        if (body === undefined) throw new BlobStoreError("other", "the download returned no body");
        const stream = body instanceof Readable ? body : Readable.from(body as AsyncIterable<Buffer>);
        return { stream, size: response.contentLength };
      }),
    write: (ref, data, opts = {}) =>
      call(ref, opts.signal, async (c) => {
        await blob(c, ref).uploadData(data, {
          ...abortOf(opts.signal),
          ...(opts.metadata === undefined ? {} : { metadata: opts.metadata }),
          ...(opts.contentType === undefined
            ? {}
            : { blobHTTPHeaders: { blobContentType: opts.contentType } }),
        });
      }),
    metadata: (ref, signal) =>
      call(ref, signal, async (c) => {
        try {
          return (await blob(c, ref).getProperties(abortOf(signal))).metadata ?? {};
        } catch (error) {
          if (isBlobMissing(error)) return undefined;
          throw error;
        }
      }),
    stagedBlocks: (ref, signal) =>
      call(ref, signal, async (c) => {
        try {
          const list = await blob(c, ref).getBlockList("uncommitted", abortOf(signal));
          return new Map((list.uncommittedBlocks ?? []).map((b) => [b.name, b.size] as const));
        } catch (error) {
          if (isBlobMissing(error)) return new Map<string, number>();
          throw error;
        }
      }),
    stageBlock: (ref, blockId, data, signal) =>
      call(ref, signal, async (c) => {
        await blob(c, ref).stageBlock(blockId, data, data.byteLength, abortOf(signal));
      }),
    commitBlocks: (ref, blockIds, opts = {}) =>
      call(ref, opts.signal, async (c) => {
        await blob(c, ref).commitBlockList(blockIds, {
          ...abortOf(opts.signal),
          ...(opts.metadata === undefined ? {} : { metadata: opts.metadata }),
          ...(opts.contentType === undefined
            ? {}
            : { blobHTTPHeaders: { blobContentType: opts.contentType } }),
        });
      }),
  };
}

interface SdkError {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
}

/** A missing blob (but not a missing container, which callers must hear about). */
function isBlobMissing(error: unknown): boolean {
  const e = error as SdkError;
  return e?.statusCode === 404 && e.code !== "ContainerNotFound";
}

function translate(error: unknown, credential: BlobCredential, secrets: string[]): Error {
  if (error instanceof BlobStoreError || error instanceof AbortedError) return error;
  const e = (error ?? {}) as SdkError;
  const status = e.statusCode;
  // Only the first line: later lines carry request ids and timestamps, never anything useful to a user.
  const first = (e.message ?? String(error)).split("\n")[0] ?? "";
  const kind = failureKind(e);
  const using = kind === "auth" ? ` (tried ${describeCredential(credential)})` : "";
  const statusText = status === undefined ? "" : `HTTP ${status}${e.code ? ` ${e.code}` : ""}: `;
  return new BlobStoreError(kind, redact(`${statusText}${first}${using}`, secrets), status);
}

function failureKind(e: SdkError): BlobFailureKind {
  const status = e.statusCode;
  if (status === 404) return e.code === "ContainerNotFound" ? "container_not_found" : "not_found";
  if (status === 401 || status === 403) return "auth";
  if (e.name === "CredentialUnavailableError" || e.name === "AuthenticationError") return "auth";
  if (status === 408 || e.name === "TimeoutError") return "timeout";
  if (status === 429 || status === 503) return "throttled";
  if (status !== undefined && status >= 500) return "server";
  if (status === undefined && NETWORK_CODES.has(e.code ?? "")) return "network";
  return "other";
}
