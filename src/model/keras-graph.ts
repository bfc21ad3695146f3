import { MosaicError, UsageError } from "../errors.js";
import { type KerasLayerJson, type LayersArtifacts, modelConfigOf } from "./layers-artifacts.js";

/** One Keras layer with its input layers resolved to names (each layer called once). */
export interface KerasNode {
  name: string;
  className: string;
  config: Record<string, unknown>;
  inputs: string[];
}

/** Pulls [layer, node, tensor] refs out of Keras 2 lists and Keras 3 `keras_history` dicts alike. */
function collectRefs(value: unknown, out: string[]): void {
  if (Array.isArray(value)) {
    if (typeof value[0] === "string" && typeof value[1] === "number" && typeof value[2] === "number") {
      if (value[2] !== 0) throw new MosaicError(`Layer output ${value[0]}[${value[2]}] is not supported`);
      out.push(value[0]);
      return;
    }
    for (const v of value) collectRefs(v, out);
  } else if (value && typeof value === "object") {
    const history = (value as { config?: { keras_history?: unknown } }).config?.keras_history;
    if (history) collectRefs(history, out);
    else for (const v of Object.values(value)) collectRefs(v, out);
  }
}

function toNode(label: string, l: KerasLayerJson): KerasNode {
  if (l.inbound_nodes.length > 1) {
    throw new MosaicError(`${label}: layer ${l.name} is shared (called ${l.inbound_nodes.length} times)`, {
      hint: "Shared layers are not supported by the converter; export the model to ONNX instead.",
    });
  }
  const inputs: string[] = [];
  collectRefs(l.inbound_nodes[0] ?? [], inputs);
  return { name: l.name, className: l.class_name, config: l.config ?? {}, inputs };
}

export interface KerasGraph {
  /** Layers needed for the outputs, in an order where inputs come first. */
  nodes: KerasNode[];
  /** Names of the layers whose outputs are wanted. */
  outputs: string[];
  /** How many kept layers read each layer's output (for folding decisions). */
  consumers: Map<string, number>;
}

/** Parses the topology and keeps only the layers that feed `cutAt` (default: the model's outputs). */
export function buildKerasGraph(a: LayersArtifacts, cutAt?: string | readonly string[]): KerasGraph {
  const cfg = modelConfigOf(a);
  const byName = new Map(cfg.layers.map((l) => [l.name, toNode(a.label, l)]));
  let outputs: string[];
  if (cutAt === undefined) {
    const refs: string[] = [];
    collectRefs(cfg.outputLayers, refs);
    outputs = refs;
  } else {
    outputs = typeof cutAt === "string" ? [cutAt] : [...cutAt];
  }
  for (const o of outputs) {
    if (!byName.has(o)) {
      const near = [...byName.keys()]
        .filter((n) => n.includes(o.replace(/\d+/g, "")) || o.includes(n))
        .slice(0, 5);
      throw new UsageError(`${a.label} has no layer named "${o}"`, {
        hint: near.length ? `Similar layers: ${near.join(", ")}` : "List the layer names in model.json.",
      });
    }
  }
  // Depth-first post-order from the outputs: a valid topological order containing only what is needed.
  const nodes: KerasNode[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string): void => {
    const s = state.get(name);
    if (s === "done") return;
    if (s === "visiting") throw new MosaicError(`${a.label}: cycle through layer ${name}`);
    const node = byName.get(name);
    if (!node) throw new MosaicError(`${a.label}: layer ${name} is referenced but not defined`);
    state.set(name, "visiting");
    for (const i of node.inputs) visit(i);
    state.set(name, "done");
    nodes.push(node);
  };
  for (const o of outputs) visit(o);
  const consumers = new Map<string, number>();
  for (const n of nodes) for (const i of n.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  return { nodes, outputs, consumers };
}
