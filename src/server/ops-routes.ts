import type { FastifyInstance } from "fastify";
import type { ServedCatalog } from "./served-catalog.js";
import { openApiDocument } from "./openapi-document.js";
import type { ServerMetrics } from "./server-metrics.js";

export interface OpsRouteDeps {
  catalog: ServedCatalog;
  metrics: ServerMetrics;
  isReady(): boolean;
  version: string;
}

/** Probes, metrics and the API description: never behind the API key (load balancers can't send one). */
export async function opsRoutes(app: FastifyInstance, deps: OpsRouteDeps): Promise<void> {
  const document = openApiDocument(deps.version);

  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_request, reply) => {
    const { manifest, count } = deps.catalog;
    const body = { artworks: count, model: manifest.model.id, facets: manifest.facets };
    if (!deps.isReady()) return reply.code(503).send({ status: "starting", ...body });
    return { status: "ready", ...body };
  });

  app.get("/metrics", async (_request, reply) =>
    reply.type(deps.metrics.contentType).send(deps.metrics.render()),
  );

  app.get("/openapi.json", async () => document);
}
