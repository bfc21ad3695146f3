/** What the service answers for an artwork or a search hit (see /openapi.json). */
export interface Artwork {
  id: string;
  image: string;
  facets: Record<string, string>;
  meta: Record<string, string>;
}

export interface Hit extends Artwork {
  rank: number;
  score: number;
}

export interface FacetValue {
  value: string;
  count: number;
}

export type Filter = Record<string, string[]>;

/** An error the service explained (its JSON `error`), or one of ours worded for people. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Asks the person for a key; null when they decline. `again` is true when the last key was refused. */
export type AskKey = (again: boolean) => Promise<string | null>;

const KEY_ITEM = "mosaic.apiKey";

/**
 * The v1 API from the browser. The key (when the service wants one) is asked once, kept in
 * sessionStorage (this tab only, gone when it closes) and sent as x-api-key; a 401 asks again.
 */
export function createApiClient(askKey: AskKey, storage: Storage = sessionStorage) {
  let asking: Promise<string | null> | undefined;
  const key = () => storage.getItem(KEY_ITEM);

  /** One prompt at a time: a page of thumbnails all answered 401 together. */
  const promptOnce = (again: boolean) => {
    asking ??= askKey(again).finally(() => {
      asking = undefined;
    });
    return asking;
  };

  async function request(path: string, init: RequestInit = {}, signal?: AbortSignal): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const sent = key();
      const headers = new Headers(init.headers);
      if (sent) headers.set("x-api-key", sent);
      const response = await fetch(path, { ...init, headers, ...(signal ? { signal } : {}) });
      if (response.status !== 401 || attempt >= 3) return response;
      // Someone else's prompt may have stored a new key meanwhile: retry with it before asking.
      if (key() !== sent) continue;
      const entered = await promptOnce(sent !== null);
      if (entered === null) return response;
      storage.setItem(KEY_ITEM, entered);
    }
  }

  async function json<T>(path: string, init?: RequestInit, signal?: AbortSignal): Promise<T> {
    const response = await request(path, init, signal);
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      throw new ApiError(`The service answered HTTP ${response.status} with something that is not JSON`, 0);
    }
    if (!response.ok) {
      const said = (body as { error?: unknown } | undefined)?.error;
      throw new ApiError(typeof said === "string" ? said : `HTTP ${response.status}`, response.status);
    }
    return body as T;
  }

  const filterParams = (params: URLSearchParams, filter: Filter) => {
    // The CLI's --filter syntax: a comma separates values, so a value's own commas are escaped.
    for (const [field, values] of Object.entries(filter))
      if (values.length > 0)
        params.append("filter", `${field}=${values.map((v) => v.replace(/,/g, "\\,")).join(",")}`);
  };

  return {
    hasKey: () => key() !== null,
    setKey: (value: string) => storage.setItem(KEY_ITEM, value),
    version: () => json<{ info: { version: string } }>("/openapi.json").then((d) => d.info.version),
    facets: () => json<{ artworks: number; facets: Record<string, FacetValue[]> }>("/v1/facets"),
    artwork: (id: string) => json<Artwork>(`/v1/artworks/${encodeURIComponent(id)}`),
    artworks(offset: number, limit: number, filter: Filter, signal?: AbortSignal) {
      const params = new URLSearchParams({ offset: String(offset), limit: String(limit) });
      filterParams(params, filter);
      return json<{ total: number; offset: number; artworks: Artwork[] }>(
        `/v1/artworks?${params}`,
        undefined,
        signal,
      );
    },
    /** `target`: an indexed artwork's id, an image URL the service fetches, or an uploaded file. */
    search(target: SearchTarget, n: number, filter: Filter, signal?: AbortSignal) {
      type Results = { matches: number; results: Hit[] };
      if (target.kind === "upload") {
        const params = new URLSearchParams({ n: String(n) });
        filterParams(params, filter);
        const type = target.file.type.startsWith("image/") ? target.file.type : "application/octet-stream";
        return json<Results>(
          `/v1/search?${params}`,
          { method: "POST", headers: { "content-type": type }, body: target.file },
          signal,
        );
      }
      const body = { ...(target.kind === "id" ? { id: target.id } : { url: target.url }), n, filter };
      return json<Results>(
        "/v1/search",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
        signal,
      );
    },
    /** A thumbnail as a blob: URL (an <img> cannot send the key header itself). */
    async thumbnail(id: string, size: number, signal?: AbortSignal): Promise<string> {
      const response = await request(
        `/v1/artworks/${encodeURIComponent(id)}/image?size=${size}`,
        undefined,
        signal,
      );
      if (!response.ok) throw new ApiError(`thumbnail HTTP ${response.status}`, response.status);
      return URL.createObjectURL(await response.blob());
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

export type SearchTarget =
  | { kind: "id"; id: string; artwork: Artwork }
  | { kind: "url"; url: string }
  | { kind: "upload"; file: File; preview: string };
