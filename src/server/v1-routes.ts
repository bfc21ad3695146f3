import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { UsageError } from "../errors.js";
import { resultsToJson } from "../query/format-results.js";
import { artworkJson } from "./artwork-json.js";
import { applyMinScore, parseMinScore } from "../query/min-score.js";
import { filterFromPairs, parseJsonSearch, parseN, type SearchInput, stringList } from "./search-input.js";
import type { Search } from "./search-service.js";
import type { ServedCatalog } from "./served-catalog.js";

export interface V1RouteDeps {
  search: Search;
  catalog: ServedCatalog;
  maxN: number;
  maxImageBytes: number;
}

/** Raw uploads: `Content-Type: image/*` or octet-stream, the bytes as the body. */
const RAW_IMAGE_TYPES = [/^image\/[\w.+-]+$/i, "application/octet-stream"];

/**
 * The v1 API: `POST /v1/search` (multipart `image`, raw image body, or JSON `{url}` / `{id}`) answering
 * the same JSON as `mosaic query --json`, and `GET /v1/artworks/:id`.
 */
export async function v1Routes(app: FastifyInstance, deps: V1RouteDeps): Promise<void> {
  await app.register(multipart, {
    limits: {
      fileSize: deps.maxImageBytes,
      files: 1,
      fields: 16,
      fieldSize: 16 * 1024,
      parts: 20,
      headerPairs: 100,
    },
  });
  for (const type of RAW_IMAGE_TYPES) {
    app.addContentTypeParser(type, { parseAs: "buffer", bodyLimit: deps.maxImageBytes }, (_req, body, done) =>
      done(null, body),
    );
  }

  app.post("/v1/search", { config: { admission: true } }, async (request) => {
    const input = request.isMultipart()
      ? await readMultipart(request, deps.maxN)
      : Buffer.isBuffer(request.body)
        ? fromQueryString(request, { bytes: request.body }, deps.maxN)
        : parseJsonSearch(request.body, deps.maxN);
    return resultsToJson(applyMinScore(await deps.search(input), input.minScore));
  });

  app.get("/v1/artworks/:id", async (request, reply) => {
    const { id } = request.params as { id: string };
    const record = await deps.catalog.record(id);
    if (!record)
      return reply.code(404).send({ error: `No artwork with id ${JSON.stringify(id)}`, code: "not_found" });
    return artworkJson(record);
  });
}

/** Uploads carry n and filter in the query string: `?n=5&filter=culture=Dutch`. */
function fromQueryString(request: FastifyRequest, target: { bytes: Buffer }, maxN: number): SearchInput {
  const params = request.query as Record<string, unknown>;
  return {
    target,
    n: parseN(stringList(params.n)[0], maxN),
    filter: filterFromPairs(stringList(params.filter)),
    minScore: parseMinScore(stringList(params.min_score)[0]),
  };
}

/** Multipart: one file part `image`, optional text parts `n` and `filter` (or those in the query string). */
async function readMultipart(request: FastifyRequest, maxN: number): Promise<SearchInput> {
  let bytes: Buffer | undefined;
  // A Map, not an object: a field named "__proto__" must not reach Object.prototype.
  const fields = new Map<string, string[]>();
  try {
    for await (const part of request.parts()) {
      if (part.type === "file") {
        if (part.fieldname !== "image") {
          part.file.resume();
          throw new UsageError(
            `Unexpected file field "${part.fieldname}"; upload the image as field "image"`,
          );
        }
        bytes = await part.toBuffer();
      } else if (typeof part.value === "string") {
        fields.set(part.fieldname, [...(fields.get(part.fieldname) ?? []), part.value]);
      }
    }
  } catch (error) {
    if (error instanceof UsageError || typeof (error as { statusCode?: unknown }).statusCode === "number")
      throw error;
    // busboy's own parse errors (truncated or malformed bodies) are the client's.
    throw new UsageError(`Malformed multipart body: ${(error as Error).message}`);
  }
  if (!bytes) throw new UsageError('Multipart body has no file field "image"');
  const fromQuery = fromQueryString(request, { bytes }, maxN);
  return {
    target: { bytes },
    n: fields.has("n") ? parseN(fields.get("n")?.[0], maxN) : fromQuery.n,
    filter: fields.has("filter") ? filterFromPairs(fields.get("filter") ?? []) : fromQuery.filter,
    minScore: fields.has("min_score") ? parseMinScore(fields.get("min_score")?.[0]) : fromQuery.minScore,
  };
}
