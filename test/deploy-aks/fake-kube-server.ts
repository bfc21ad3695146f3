import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake API server saw. */
export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: unknown;
}

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string };
  [k: string]: unknown;
};

/** The resources the fake serves, as discovery lists them. */
const RESOURCES: { groupVersion: string; name: string; kind: string; namespaced: boolean }[] = [
  { groupVersion: "v1", name: "namespaces", kind: "Namespace", namespaced: false },
  { groupVersion: "v1", name: "services", kind: "Service", namespaced: true },
  { groupVersion: "v1", name: "secrets", kind: "Secret", namespaced: true },
  { groupVersion: "v1", name: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
  { groupVersion: "apps/v1", name: "deployments", kind: "Deployment", namespaced: true },
  {
    groupVersion: "autoscaling/v2",
    name: "horizontalpodautoscalers",
    kind: "HorizontalPodAutoscaler",
    namespaced: true,
  },
  { groupVersion: "networking.k8s.io/v1", name: "ingresses", kind: "Ingress", namespaced: true },
  {
    groupVersion: "policy/v1",
    name: "poddisruptionbudgets",
    kind: "PodDisruptionBudget",
    namespaced: true,
  },
  { groupVersion: "batch/v1", name: "jobs", kind: "Job", namespaced: true },
];

export interface FakeKubeServer {
  url: string;
  requests: SeenRequest[];
  /** Stored objects by "<plural>/<namespace>/<name>" ("<plural>//<name>" when cluster-scoped). */
  objects: Map<string, Obj>;
  /** Writes (POST/PATCH/PUT/DELETE) to object paths since the last reset. */
  writes(): SeenRequest[];
  resetRequests(): void;
  kubeconfig(): string;
  close(): Promise<void>;
}

/**
 * A tiny stand-in for the Kubernetes API on 127.0.0.1: discovery for the kinds mosaic uses, and
 * GET/POST/PATCH/DELETE/list on them, kept in memory. A created Service gets a load-balancer IP; a
 * created Job is reported complete. Enough to prove the real @kubernetes/client-node adapter's
 * request shapes (and to let kubectl resolve kinds offline).
 */
export async function startFakeKubeServer(): Promise<FakeKubeServer> {
  const requests: SeenRequest[] = [];
  const objects = new Map<string, Obj>();
  let version = 1;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: ServerResponse, what: string) =>
    send(res, 404, {
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      reason: "NotFound",
      message: `${what} not found`,
      code: 404,
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    const seen: SeenRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers["content-type"],
      body,
    };
    requests.push(seen);
    const path = url.pathname;

    // Discovery.
    if (path === "/api")
      return send(res, 200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
    if (path === "/apis") {
      const groups = [...new Set(RESOURCES.map((r) => r.groupVersion).filter((gv) => gv.includes("/")))].map(
        (gv) => {
          const [group, v] = gv.split("/") as [string, string];
          return {
            name: group,
            versions: [{ groupVersion: gv, version: v }],
            preferredVersion: { groupVersion: gv, version: v },
          };
        },
      );
      return send(res, 200, { kind: "APIGroupList", apiVersion: "v1", groups });
    }
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(path);
    if (discovery) {
      const groupVersion = discovery[1] ?? discovery[2]!;
      const resources = RESOURCES.filter((r) => r.groupVersion === groupVersion).map((r) => ({
        name: r.name,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
      }));
      if (resources.length === 0) return notFound(res, groupVersion);
      return send(res, 200, { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources });
    }

    // Objects: /api/v1/… or /apis/<group>/<version>/…, then [namespaces/<ns>/]<plural>[/<name>].
    const segments = path.split("/").filter(Boolean);
    const groupVersion = segments[0] === "api" ? "v1" : `${segments[1]}/${segments[2]}`;
    const rest = segments.slice(segments[0] === "api" ? 2 : 3);
    const scoped = rest[0] === "namespaces" && rest.length >= 3;
    const namespace = scoped ? rest[1] : undefined;
    const plural = scoped ? rest[2] : rest[0];
    const name = scoped ? rest[3] : rest[1];
    const resource = RESOURCES.find((r) => r.groupVersion === groupVersion && r.name === plural);
    if (!resource) return notFound(res, path);
    const key = (n: string) => `${plural}/${namespace ?? ""}/${n}`;

    switch (seen.method) {
      case "GET": {
        if (name === undefined) {
          const selector = seen.query.labelSelector ?? "";
          const wanted = selector ? selector.split(",").map((p) => p.split("=") as [string, string]) : [];
          const items = [...objects.entries()]
            .filter(([k]) => k.startsWith(`${plural}/${namespace ?? ""}/`))
            .map(([, o]) => o)
            .filter((o) =>
              wanted.every(([k, v]) => (o.metadata.labels as Record<string, string> | undefined)?.[k] === v),
            );
          return send(res, 200, {
            apiVersion: groupVersion,
            kind: `${resource.kind}List`,
            metadata: {},
            items,
          });
        }
        const found = objects.get(key(name));
        return found ? send(res, 200, found) : notFound(res, `${plural} ${name}`);
      }
      case "POST": {
        const object = structuredClone(body) as Obj;
        if (objects.has(key(object.metadata.name))) {
          return send(res, 409, {
            kind: "Status",
            apiVersion: "v1",
            status: "Failure",
            reason: "AlreadyExists",
            code: 409,
          });
        }
        object.metadata = { ...object.metadata, uid: `uid-${version}`, resourceVersion: String(version++) };
        if (resource.kind === "Service")
          object.status = { loadBalancer: { ingress: [{ ip: "20.30.40.50" }] } };
        if (resource.kind === "Job") {
          const n = ((object.spec as { completions?: number }).completions ?? 1) as number;
          object.status = {
            succeeded: n,
            completedIndexes: n > 1 ? `0-${n - 1}` : "0",
            conditions: [{ type: "Complete", status: "True" }],
          };
        }
        objects.set(key(object.metadata.name), object);
        return send(res, 201, object);
      }
      case "PATCH": {
        const current = name ? objects.get(key(name)) : undefined;
        if (!current || !name) return notFound(res, `${plural} ${name}`);
        const applied = structuredClone(body) as Obj;
        const next = {
          ...current,
          ...applied,
          metadata: { ...applied.metadata, uid: current.metadata.uid, resourceVersion: String(version++) },
        };
        objects.set(key(name), next);
        return send(res, 200, next);
      }
      case "DELETE": {
        if (!name || !objects.delete(key(name))) return notFound(res, `${plural} ${name}`);
        return send(res, 200, { kind: "Status", apiVersion: "v1", status: "Success", code: 200 });
      }
      default:
        return send(res, 405, { kind: "Status", apiVersion: "v1", status: "Failure", code: 405 });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const isWrite = (r: SeenRequest) => r.method !== "GET";
  return {
    url,
    requests,
    objects,
    writes: () => requests.filter(isWrite),
    resetRequests: () => void requests.splice(0),
    kubeconfig: () =>
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: fake\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`,
        "users:",
        "- name: fake\n  user:\n    token: test-token",
        "contexts:",
        "- name: fake\n  context:\n    cluster: fake\n    user: fake",
        "current-context: fake",
        "",
      ].join("\n"),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
