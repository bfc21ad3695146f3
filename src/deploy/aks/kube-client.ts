/** Which object: enough to build its API path. Namespace is unset for cluster-scoped kinds. */
export interface KubeRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string | undefined;
}

export interface KubeMetadata {
  name: string;
  namespace?: string | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  [field: string]: unknown;
}

/** Any Kubernetes object as plain JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMetadata;
  [field: string]: unknown;
}

/**
 * The few Kubernetes API calls mosaic makes. src/infra/kube-client-node.ts implements it with
 * @kubernetes/client-node; tests use an in-memory fake. Methods throw ExternalError on API failures.
 */
export interface KubeClient {
  /** undefined when there is no such object (404). */
  read(ref: KubeRef): Promise<KubeObject | undefined>;
  create(object: KubeObject): Promise<KubeObject>;
  /**
   * Server-side apply (field manager "mosaic", forced): the object's fields become exactly those given,
   * so a field mosaic set before and no longer sets (a GPU limit, say) is removed.
   */
  apply(object: KubeObject): Promise<KubeObject>;
  /** Deletes with background propagation (a Job's pods go too); false when it was already gone. */
  delete(ref: KubeRef): Promise<boolean>;
  /** Objects of one kind in a namespace (or cluster-wide when namespace is undefined) matching a label selector. */
  list(
    type: { apiVersion: string; kind: string },
    namespace: string | undefined,
    labelSelector: string,
  ): Promise<KubeObject[]>;
}

export function refOf(object: KubeObject): KubeRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    namespace: object.metadata.namespace,
  };
}

/** "Deployment mosaic/mosaic" — kind, then namespace/name. */
export function describeRef(ref: KubeRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}
