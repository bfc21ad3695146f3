import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { FastifyInstance } from "fastify";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Everything from this origin only: the UI loads no CDN, and images arrive as blob: URLs. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The web UI at `/ui`: the built files of web/ read once at start-up (a handful of small files), served
 * with a strict CSP. Not behind the API key: the page itself asks for the key and sends it with each call.
 */
export async function uiRoutes(app: FastifyInstance, deps: { dir: string | undefined }): Promise<void> {
  const files = new Map<string, { body: Buffer; type: string }>();
  if (deps.dir !== undefined) {
    for (const name of await readdir(deps.dir)) {
      const type = TYPES[path.extname(name)];
      if (type) files.set(name, { body: await readFile(path.join(deps.dir, name)), type });
    }
  }
  app.get("/ui", async (_request, reply) => reply.redirect("/ui/", 308));
  app.get("/ui/*", async (request, reply) => {
    const name = (request.params as { "*": string })["*"] || "index.html";
    const file = files.get(name);
    if (!file) {
      const why =
        deps.dir === undefined ? "the web UI was not built (run `npm run build`)" : `no file ${name}`;
      return reply.code(404).send({ error: `Not found: ${why}`, code: "not_found" });
    }
    return reply
      .type(file.type)
      .header("content-security-policy", CSP)
      .header("x-content-type-options", "nosniff")
      .header("cache-control", name === "index.html" ? "no-cache" : "public, max-age=300")
      .send(file.body);
  });
}
