/** JSON Schema fragments shared by several operations. */
const error = {
  type: "object",
  required: ["error"],
  properties: { error: { type: "string" }, code: { type: "string" } },
};
const stringMap = { type: "object", additionalProperties: { type: "string" } };
const artwork = {
  type: "object",
  required: ["id", "image", "facets", "meta"],
  properties: { id: { type: "string" }, image: { type: "string" }, facets: stringMap, meta: stringMap },
};
const searchResults = {
  type: "object",
  required: ["matches", "results"],
  properties: {
    matches: { type: "integer", description: "Indexed artworks admitted by the filter." },
    unmatched: {
      type: "array",
      description:
        "Only when a filter value matched no artwork (even ignoring case and accents): the closest existing values.",
      items: {
        type: "object",
        required: ["field", "value", "nearest"],
        properties: {
          field: { type: "string" },
          value: { type: "string" },
          nearest: { type: "array", items: { type: "string" }, maxItems: 3 },
        },
      },
    },
    results: {
      type: "array",
      items: {
        type: "object",
        required: ["rank", "score", "id", "image", "facets", "meta"],
        properties: {
          rank: { type: "integer", minimum: 1 },
          score: { type: "number", description: "Cosine similarity (inner product of unit vectors)." },
          ...artwork.properties,
        },
      },
    },
  },
};
const legacyResults = {
  type: "object",
  required: ["results"],
  properties: {
    results: {
      type: "array",
      description: "[artwork, score] pairs, by score descending.",
      items: { type: "array", prefixItems: [{ ...stringMap }, { type: "number" }], minItems: 2, maxItems: 2 },
    },
  },
};
const filter = {
  type: "object",
  description: "Facet → value or values: AND across facets, OR within one; case and accents are ignored.",
  additionalProperties: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
};
const json = (schema: object) => ({ "application/json": { schema } });
const errorResponse = (description: string) => ({ description, content: json(error) });
const searchErrors = {
  "400": errorResponse("Bad input: invalid JSON, n, filter or id; an unreachable, refused or non-image URL."),
  "401": errorResponse("MOSAIC_API_KEY is set and x-api-key is missing or wrong."),
  "413": errorResponse("Body or image larger than the server's limit."),
  "503": {
    ...errorResponse("Overloaded (the model queue is full) or the search timed out; retry later."),
    headers: { "Retry-After": { schema: { type: "integer" } } },
  },
};
const nParam = { name: "n", in: "query", schema: { type: "integer", minimum: 1, default: 10 } };
const urlParam = { name: "url", in: "query", required: true, schema: { type: "string", format: "uri" } };
const legacyDescription =
  "The 2020 MosAIc contract. `query` is a culture or classification label; an unknown label searches everything. Every error is 400 `{error}` (401/413/503 as for v1).";

/** The OpenAPI 3.1 description of every route the service answers, served at /openapi.json. */
export function openApiDocument(version: string) {
  const legacyPost = (operationId: string) => ({
    operationId,
    summary: "Similar artworks for an image URL (legacy)",
    description: legacyDescription,
    requestBody: {
      required: true,
      content: json({
        type: "object",
        required: ["url"],
        properties: {
          url: { type: "string", format: "uri" },
          n: { type: "integer", minimum: 1, default: 10 },
          query: { type: "string" },
        },
      }),
    },
    responses: { "200": { description: "Results", content: json(legacyResults) }, ...searchErrors },
    security: [{}, { apiKey: [] }],
  });
  const legacyGet = (operationId: string) => ({
    operationId,
    summary: "Similar artworks for an image URL (legacy, GET)",
    description: legacyDescription,
    parameters: [
      urlParam,
      nParam,
      { name: "culture", in: "query", schema: { type: "string" } },
      { name: "classification", in: "query", schema: { type: "string" } },
      { name: "query", in: "query", schema: { type: "string" } },
    ],
    responses: { "200": { description: "Results", content: json(legacyResults) }, ...searchErrors },
    security: [{}, { apiKey: [] }],
  });
  return {
    openapi: "3.1.0",
    info: {
      title: "mosaic similarity service",
      version,
      description:
        "Find visually similar artworks, optionally filtered by facet (culture, classification, ...).",
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: "apiKey",
          in: "header",
          name: "x-api-key",
          description: "Required when MOSAIC_API_KEY is set.",
        },
      },
      schemas: { Error: error, Artwork: artwork, SearchResults: searchResults, LegacyResults: legacyResults },
    },
    paths: {
      "/v1/search": {
        post: {
          operationId: "search",
          summary: "Similar artworks for an uploaded image, an image URL, or an indexed artwork",
          parameters: [
            { ...nParam, description: "For uploads (JSON bodies carry n in the body)." },
            {
              name: "filter",
              in: "query",
              description: "For uploads: field=value[,value]; repeat to AND fields.",
              schema: { type: "array", items: { type: "string" } },
              style: "form",
              explode: true,
            },
            {
              name: "min_score",
              in: "query",
              description: "For uploads: drop results scoring below this cosine (JSON bodies: minScore).",
              schema: { type: "number", minimum: -1, maximum: 1 },
            },
          ],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  additionalProperties: false,
                  properties: {
                    url: {
                      type: "string",
                      format: "uri",
                      description: "Image to fetch (public http(s) only).",
                    },
                    id: { type: "string", description: "More like this: an indexed artwork's id." },
                    n: { type: "integer", minimum: 1, default: 10 },
                    filter,
                    minScore: { type: "number", minimum: -1, maximum: 1 },
                  },
                  oneOf: [{ required: ["url"] }, { required: ["id"] }],
                },
              },
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["image"],
                  properties: {
                    image: { type: "string", contentMediaType: "application/octet-stream" },
                    n: { type: "integer" },
                    filter: { type: "array", items: { type: "string" } },
                    min_score: { type: "number" },
                  },
                },
              },
              "image/*": { schema: { type: "string", contentMediaType: "image/*" } },
            },
          },
          responses: { "200": { description: "Results", content: json(searchResults) }, ...searchErrors },
          security: [{}, { apiKey: [] }],
        },
      },
      "/v1/artworks/{id}": {
        get: {
          operationId: "getArtwork",
          summary: "One indexed artwork",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The artwork", content: json(artwork) },
            "401": searchErrors["401"],
            "404": errorResponse("No artwork with that id."),
          },
          security: [{}, { apiKey: [] }],
        },
      },
      "/v1/artworks/{id}/image": {
        get: {
          operationId: "getArtworkImage",
          summary: "A JPEG thumbnail of an indexed artwork's catalog image",
          description:
            "Made from the catalog's image (local file, http(s) or Blob) with the same size, timeout and private-address rules as image fetches; kept in memory. Answers 304 to a matching If-None-Match.",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            {
              name: "size",
              in: "query",
              description: "Longest side in pixels; smaller images are not enlarged.",
              schema: { type: "integer", minimum: 16, maximum: 1024, default: 256 },
            },
          ],
          responses: {
            "200": {
              description: "The thumbnail",
              headers: {
                ETag: { schema: { type: "string" } },
                "Cache-Control": { schema: { type: "string" } },
              },
              content: { "image/jpeg": { schema: { type: "string", contentMediaType: "image/jpeg" } } },
            },
            "304": { description: "Not modified (If-None-Match matched the ETag)" },
            "400": errorResponse("size is not a whole number in range."),
            "401": searchErrors["401"],
            "404": errorResponse("No artwork with that id."),
            "502": errorResponse("The catalog's image is missing, unreachable, refused or not an image."),
          },
          security: [{}, { apiKey: [] }],
        },
      },
      "/v1/artworks": {
        get: {
          operationId: "listArtworks",
          summary: "Indexed artworks in index order, a page at a time, optionally filtered by facet",
          parameters: [
            { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
            {
              name: "filter",
              in: "query",
              description:
                "field=value[,value]; repeat for AND across fields (the CLI's --filter syntax). total counts the artworks it admits.",
              schema: { type: "array", items: { type: "string" } },
              style: "form",
              explode: true,
            },
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 0, maximum: 100, default: 24 },
            },
          ],
          responses: {
            "200": {
              description: "One page",
              content: json({
                type: "object",
                required: ["total", "offset", "artworks"],
                properties: {
                  total: { type: "integer" },
                  offset: { type: "integer" },
                  artworks: { type: "array", items: artwork },
                },
              }),
            },
            "400": errorResponse("offset or limit out of range, or a filter on an unknown facet."),
            "401": searchErrors["401"],
          },
          security: [{}, { apiKey: [] }],
        },
      },
      "/v1/facets": {
        get: {
          operationId: "listFacets",
          summary: "Every facet's values with how many artworks have each, most common first",
          responses: {
            "200": {
              description: "Facet values",
              content: json({
                type: "object",
                required: ["artworks", "facets"],
                properties: {
                  artworks: { type: "integer" },
                  facets: {
                    type: "object",
                    additionalProperties: {
                      type: "array",
                      items: {
                        type: "object",
                        required: ["value", "count"],
                        properties: { value: { type: "string" }, count: { type: "integer" } },
                      },
                    },
                  },
                },
              }),
            },
            "401": searchErrors["401"],
          },
          security: [{}, { apiKey: [] }],
        },
      },
      "/ui/": {
        get: {
          operationId: "webUi",
          summary: "The web UI (static files; asks for the API key itself when one is needed)",
          responses: { "200": { description: "HTML page", content: { "text/html": {} } } },
        },
      },
      "/": { post: legacyPost("legacySearch"), get: legacyGet("legacySearchGet") },
      "/score": { post: legacyPost("legacyScore"), get: legacyGet("legacyScoreGet") },
      "/healthz": {
        get: {
          operationId: "healthz",
          summary: "Liveness: the process is up",
          responses: { "200": { description: "Up" } },
        },
      },
      "/readyz": {
        get: {
          operationId: "readyz",
          summary: "Readiness: index loaded and model warmed up",
          responses: { "200": { description: "Ready" }, "503": { description: "Still starting" } },
        },
      },
      "/metrics": {
        get: {
          operationId: "metrics",
          summary: "Prometheus metrics",
          responses: { "200": { description: "Text exposition format", content: { "text/plain": {} } } },
        },
      },
      "/openapi.json": {
        get: {
          operationId: "openapi",
          summary: "This document",
          responses: { "200": { description: "OpenAPI 3.1 document" } },
        },
      },
    },
  };
}
