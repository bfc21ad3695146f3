import type { KubeClient, KubeObject, KubeRef } from "../../src/deploy/aks/kube-client.js";

export interface FakeKubeClient extends KubeClient {
  objects: Map<string, KubeObject>;
  /** Every call, as "verb Kind namespace/name". */
  log: string[];
  writes(): string[];
  /** Called on each read of a Job: lets a test script the Job's status over time. */
  onJobRead?: (job: KubeObject, reads: number) => void;
}

const keyOf = (ref: { kind: string; name: string; namespace?: string | undefined }) =>
  `${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;

/** The small part of the Kubernetes API mosaic uses, in memory. */
export function createFakeKubeClient(initial: KubeObject[] = []): FakeKubeClient {
  const objects = new Map<string, KubeObject>();
  const jobReads = new Map<string, number>();
  for (const o of initial) objects.set(keyOf({ kind: o.kind, ...o.metadata }), structuredClone(o));
  const log: string[] = [];
  const note = (verb: string, ref: { kind: string; name: string; namespace?: string | undefined }) =>
    void log.push(`${verb} ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`);
  const fake: FakeKubeClient = {
    objects,
    log,
    writes: () => log.filter((l) => !/^(read|list) /.test(l)),
    async read(ref: KubeRef) {
      note("read", ref);
      const found = objects.get(keyOf(ref));
      if (found && ref.kind === "Job" && fake.onJobRead) {
        const reads = (jobReads.get(ref.name) ?? 0) + 1;
        jobReads.set(ref.name, reads);
        fake.onJobRead(found, reads);
      }
      return found ? structuredClone(found) : undefined;
    },
    async create(object) {
      note("create", { kind: object.kind, ...object.metadata });
      const key = keyOf({ kind: object.kind, ...object.metadata });
      if (objects.has(key)) throw new Error(`${key} already exists`);
      objects.set(key, structuredClone(object));
      return object;
    },
    async apply(object) {
      note("apply", { kind: object.kind, ...object.metadata });
      objects.set(keyOf({ kind: object.kind, ...object.metadata }), structuredClone(object));
      return object;
    },
    async delete(ref) {
      note("delete", ref);
      return objects.delete(keyOf(ref));
    },
    async list(type, namespace, selector) {
      log.push(`list ${type.kind} ${namespace ?? ""} ${selector}`);
      const wanted = selector ? selector.split(",").map((p) => p.split("=") as [string, string]) : [];
      return [...objects.values()].filter(
        (o) =>
          o.kind === type.kind &&
          o.metadata.namespace === namespace &&
          wanted.every(([k, v]) => o.metadata.labels?.[k] === v),
      );
    },
  };
  return fake;
}
