/** Which slice of a catalog one worker handles: rows whose id hashes to `index` modulo `count`. */
export interface Shard {
  index: number;
  count: number;
}

const encoder = new TextEncoder();

/** 32-bit FNV-1a over the UTF-8 bytes: stable across runs, platforms and languages. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** True when the id belongs to the shard. */
export function inShard(id: string, shard: Shard): boolean {
  return fnv1a32(id) % shard.count === shard.index;
}
