import { CONTAINER_PORT } from "../../docker/labels.js";
import { type AksSettings, requireImage, requireIndex } from "./aks-settings.js";
import type { KubeObject } from "./kube-client.js";
import { mosaicLabels } from "./labels.js";
import { type PodConfig, threadsFor } from "./pod-config.js";
import {
  containerSecurityContext,
  type Placement,
  podPlacement,
  podResources,
  storageEnvFrom,
} from "./pod-parts.js";

/**
 * Seconds a stopping pod keeps serving before `mosaic serve` gets SIGTERM: endpoint removal reaches
 * kube-proxy and the Azure load balancer only after a moment, and requests still routed there meanwhile
 * must not hit a closed port.
 */
export const PRE_STOP_SECONDS = 10;

/** The objects of the scoring service, in the order they are applied. */
export function buildServeManifests(
  settings: AksSettings,
  placement: Placement,
  pod: PodConfig,
): KubeObject[] {
  const objects = [
    buildNamespace(settings),
    buildDeployment(settings, placement, pod),
    buildService(settings),
    buildAutoscaler(settings),
    buildDisruptionBudget(settings),
  ];
  if (settings.ingressHost) objects.push(buildIngress(settings, settings.ingressHost));
  return objects;
}

export function buildNamespace(settings: AksSettings): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: settings.namespace,
      // mosaic's pods meet the restricted Pod Security Standard; the namespace holds them to it.
      labels: {
        ...mosaicLabels(settings.name),
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
      },
    },
  };
}

function meta(settings: AksSettings, name = settings.name) {
  return { name, namespace: settings.namespace, labels: mosaicLabels(settings.name, "serve") };
}

export function buildDeployment(settings: AksSettings, placement: Placement, pod: PodConfig): KubeObject {
  const labels = mosaicLabels(settings.name, "serve");
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: "http" },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(settings),
    spec: {
      // No replicas: the HorizontalPodAutoscaler owns the count, and a re-apply must not reset it.
      selector: { matchLabels: labels },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          ...podPlacement(settings, placement),
          // The preStop delay, then up to 30 s for in-flight requests to finish after SIGTERM.
          terminationGracePeriodSeconds: PRE_STOP_SECONDS + 30,
          containers: [
            {
              name: "mosaic",
              image: requireImage(settings),
              // The image's entrypoint is `mosaic`; the index is pulled from Blob (checksums verified) at start.
              args: [
                "serve",
                "--host",
                "0.0.0.0",
                "--port",
                String(CONTAINER_PORT),
                "--index",
                requireIndex(settings),
                "--threads",
                String(threadsFor(settings.cpu)),
              ],
              ports: [{ name: "http", containerPort: CONTAINER_PORT }],
              ...(pod.env.length > 0 ? { env: pod.env } : {}),
              envFrom: storageEnvFrom(settings),
              resources: podResources(settings),
              // Downloading the index and converting the model can take minutes: the startup probe
              // holds off liveness until the server answers at all.
              startupProbe: probe("/healthz", 10, 60),
              readinessProbe: probe("/readyz", 5, 3),
              livenessProbe: probe("/healthz", 10, 3),
              // node is the one binary every mosaic image has (no sleep(1) needed in the base image).
              lifecycle: {
                preStop: {
                  exec: { command: ["node", "-e", `setTimeout(() => {}, ${PRE_STOP_SECONDS * 1000})`] },
                },
              },
              securityContext: containerSecurityContext(),
            },
          ],
        },
      },
    },
  };
}

export function buildService(settings: AksSettings): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(settings),
    spec: {
      type: "LoadBalancer",
      selector: mosaicLabels(settings.name, "serve"),
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    },
  };
}

export function buildAutoscaler(settings: AksSettings): KubeObject {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta(settings),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: settings.name },
      minReplicas: settings.replicas,
      maxReplicas: settings.maxReplicas,
      metrics: [
        {
          type: "Resource",
          resource: {
            name: "cpu",
            target: { type: "Utilization", averageUtilization: settings.targetCpuPercent },
          },
        },
      ],
    },
  };
}

/**
 * Voluntary disruptions (node drains, cluster upgrades) take at most one serving pod at a time; with
 * maxUnavailable rather than minAvailable a single-replica deployment can still be drained.
 */
export function buildDisruptionBudget(settings: AksSettings): KubeObject {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: meta(settings),
    spec: { maxUnavailable: 1, selector: { matchLabels: mosaicLabels(settings.name, "serve") } },
  };
}

export function buildIngress(settings: AksSettings, host: string): KubeObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: meta(settings),
    spec: {
      ...(settings.ingressClass ? { ingressClassName: settings.ingressClass } : {}),
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: settings.name, port: { name: "http" } } },
              },
            ],
          },
        },
      ],
    },
  };
}
