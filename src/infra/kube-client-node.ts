import {
  ApiException,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from "@kubernetes/client-node";
import type { KubeClient, KubeObject, KubeRef } from "../deploy/aks/kube-client.js";
import { describeRef } from "../deploy/aks/kube-client.js";
import { ExternalError, UsageError } from "../errors.js";

/** Field manager for server-side apply: Kubernetes tracks which fields mosaic owns under this name. */
export const FIELD_MANAGER = "mosaic";

/** A KubeClient over @kubernetes/client-node 1.x's generic object API, for the cluster in `kubeconfig`. */
export function createKubeClient(kubeconfig: string): KubeClient {
  const kc = new KubeConfig();
  try {
    kc.loadFromString(kubeconfig);
  } catch (cause) {
    throw new UsageError("The kubeconfig could not be read.", {
      hint: "Pass a kubeconfig file as written by `az aks get-credentials` or `kubectl config view --raw`.",
      cause,
    });
  }
  const server = kc.getCurrentCluster()?.server ?? "(no server in the kubeconfig)";
  const api = KubernetesObjectApi.makeApiClient(kc);

  const call = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toExternalError(error, what, server);
    }
  };
  const header = (ref: KubeRef): KubernetesObject & { metadata: { name: string } } => ({
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  });

  return {
    async read(ref) {
      try {
        return plain(await api.read(header(ref)));
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw toExternalError(error, `reading ${describeRef(ref)}`, server);
      }
    },
    create: (object) =>
      call(`creating ${describeRef(refOfObject(object))}`, async () =>
        plain(await api.create(object as KubernetesObject, undefined, undefined, FIELD_MANAGER)),
      ),
    apply: (object) =>
      call(`updating ${describeRef(refOfObject(object))}`, async () =>
        plain(
          await api.patch(
            object as KubernetesObject,
            undefined,
            undefined,
            FIELD_MANAGER,
            true,
            PatchStrategy.ServerSideApply,
          ),
        ),
      ),
    async delete(ref) {
      try {
        await api.delete(header(ref), undefined, undefined, undefined, undefined, "Background");
        return true;
      } catch (error) {
        if (statusOf(error) === 404) return false;
        throw toExternalError(error, `deleting ${describeRef(ref)}`, server);
      }
    },
    list: (type, namespace, labelSelector) =>
      call(`listing ${type.kind} objects`, async () => {
        const result = await api.list(
          type.apiVersion,
          type.kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
        );
        return result.items.map((item) => plain({ apiVersion: type.apiVersion, kind: type.kind, ...item }));
      }),
  };
}

function refOfObject(object: KubeObject): KubeRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    namespace: object.metadata.namespace,
  };
}

/** The client returns model class instances (Dates included); mosaic's core works on plain JSON. */
function plain(object: unknown): KubeObject {
  return JSON.parse(JSON.stringify(object)) as KubeObject;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? (error.code as number) : undefined;
}

function toExternalError(error: unknown, what: string, server: string): ExternalError {
  const status = statusOf(error);
  if (status === undefined) {
    const reason = error instanceof Error ? `: ${error.message.split("\n")[0]}` : "";
    return new ExternalError(`Kubernetes API at ${server} did not answer while ${what}${reason}`, {
      hint: "Check the network path to the cluster and that the kubeconfig's server is right (`kubectl cluster-info`).",
      cause: error,
    });
  }
  const body = (error as ApiException<unknown>).body as { message?: string } | string | undefined;
  const message = typeof body === "object" && body?.message ? body.message : `HTTP ${status}`;
  const hint =
    status === 401
      ? "The credentials in the kubeconfig were refused; fetch them again (`az aks get-credentials`)."
      : status === 403
        ? "The cluster's RBAC does not allow this; ask for a role that may manage Deployments, Services, HPAs, Ingresses and Jobs in the namespace."
        : status === 409
          ? "Someone else changed the object at the same time; run the command again."
          : status === 422
            ? "Kubernetes rejected the object; check the aks section of the config (`mosaic deploy aks --dry-run` shows what is sent)."
            : "See the message above; `kubectl get events -n <namespace>` may tell more.";
  return new ExternalError(`Kubernetes refused ${what}: ${message}`, { hint, cause: error });
}
