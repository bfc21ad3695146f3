import type { FastifyInstance } from "fastify";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { type AppDeps, buildApp } from "../../src/server/build-app.js";
import { createServerMetrics } from "../../src/server/server-metrics.js";
import { fakeDecode, fakeEmbedder } from "./fixtures.js";

/** Image bytes by URL: what the fake fetcher serves; any other URL fails like a 404. */
export type ImageMap = Record<string, Buffer>;

export interface Harness {
  app: FastifyInstance;
  embedder: ReturnType<typeof fakeEmbedder>;
  metrics: ReturnType<typeof createServerMetrics>;
  fetched: string[];
}

export async function makeApp(
  index: VectorIndex,
  imagesByUrl: ImageMap,
  overrides: Partial<AppDeps> = {},
): Promise<Harness> {
  const embedder = fakeEmbedder();
  const metrics = createServerMetrics();
  const fetched: string[] = [];
  const app = await buildApp({
    index,
    embedder,
    metrics,
    decodeImage: fakeDecode,
    fetchImage: async (url) => {
      fetched.push(url);
      const buf = imagesByUrl[url];
      if (!buf) throw new Error(`HTTP 404 for ${url}`);
      return buf;
    },
    ...overrides,
  });
  return { app, embedder, metrics, fetched };
}

/** A multipart/form-data body built by hand, so tests need no form library. */
export function multipartBody(
  parts: { name: string; value: Buffer | string; filename?: string; type?: string }[],
) {
  const boundary = "----mosaic-test-boundary";
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ""}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ""}\r\n`;
    chunks.push(
      Buffer.from(head),
      Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value),
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}
