import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * True when `given` equals `expected`, in time independent of where they differ. Both are hashed first
 * so the comparison also does not reveal the key's length.
 */
export function apiKeyMatches(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/** An onRequest hook that answers 401 unless `x-api-key` matches; runs before the body is read. */
export function apiKeyGuard(expected: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers["x-api-key"];
    const given = Array.isArray(header) ? header[0] : header;
    if (!apiKeyMatches(given, expected)) {
      await reply
        .code(401)
        .send({ error: "Missing or invalid API key: send it in the x-api-key header", code: "unauthorized" });
    }
  };
}
