type Layer = Record<string, unknown>;

export interface SourceLayers {
  /** The config file's path, or null. */
  file: string | null;
  fileLayer: Layer;
  envLayer: Layer;
  flagLayer: Layer;
}

/**
 * Where each resolved value came from, keyed by its dotted path: "default", the config file's path,
 * "env MOSAIC_…" or "flag --…". A facet map is one value (a higher layer replaces it whole).
 */
export function configSources(config: Layer, layers: SourceLayers): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (value: unknown, at: string[]) => {
    if (isPlainObject(value) && at.at(-1) !== "facets" && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) if (v !== undefined) visit(v, [...at, k]);
      return;
    }
    out[at.join(".")] = sourceOf(at, layers);
  };
  visit(config, []);
  return out;
}

function sourceOf(at: string[], layers: SourceLayers): string {
  if (has(layers.flagLayer, at)) return `flag --${kebab(at.at(-1) ?? "")}`;
  if (has(layers.envLayer, at)) return `env MOSAIC_${at.map(snake).join("__")}`;
  if (layers.file && has(layers.fileLayer, at)) return layers.file;
  return "default";
}

function has(layer: Layer, at: string[]): boolean {
  let cur: unknown = layer;
  for (const key of at) {
    if (!isPlainObject(cur) || !(key in cur) || cur[key] === undefined) return false;
    cur = cur[key];
  }
  return true;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

function isPlainObject(value: unknown): value is Layer {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
