import { createHash } from "node:crypto";
import type { KubeObject } from "./kube-client.js";
import { SPEC_HASH_ANNOTATION } from "./labels.js";

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function specHash(object: KubeObject): string {
  const annotations = { ...object.metadata.annotations };
  delete annotations[SPEC_HASH_ANNOTATION];
  const bare = { ...object, metadata: { ...object.metadata, annotations } };
  return createHash("sha256").update(canonicalJson(bare)).digest("hex").slice(0, 16);
}

/** The object with its spec hash annotation set. */
export function withSpecHash(object: KubeObject): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: { ...object.metadata.annotations, [SPEC_HASH_ANNOTATION]: specHash(object) },
    },
  };
}
