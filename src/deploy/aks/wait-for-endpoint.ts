import { MosaicError, throwIfAborted } from "../../errors.js";
import type { AksReporter } from "./aks-events.js";
import type { Clock } from "./clock.js";
import type { KubeClient } from "./kube-client.js";

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  clock: Clock;
  reporter: AksReporter;
  signal?: AbortSignal | undefined;
}

/** Polls the Service until Azure's load balancer gives it an address; returns http://<ip or host>/. */
export async function waitForEndpoint(
  kube: KubeClient,
  service: { namespace: string; name: string },
  options: WaitOptions,
): Promise<string> {
  const started = options.clock.now();
  for (;;) {
    throwIfAborted(options.signal);
    const current = await kube.read({ apiVersion: "v1", kind: "Service", ...service });
    const ingress = (current?.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } })
      ?.loadBalancer?.ingress?.[0];
    const address = ingress?.ip ?? ingress?.hostname;
    if (address) return `http://${address.includes(":") ? `[${address}]` : address}/`;
    const elapsed = options.clock.now() - started;
    if (elapsed >= options.timeoutMs) {
      throw new MosaicError(
        `Service ${service.namespace}/${service.name} got no load-balancer address within ${Math.round(options.timeoutMs / 1000)} s.`,
        {
          hint: `The objects are in place; the address may still come. Watch it with \`kubectl get service -n ${service.namespace} ${service.name} -w\`, or check the events with \`kubectl describe service -n ${service.namespace} ${service.name}\`.`,
        },
      );
    }
    options.reporter.emit({ type: "wait", what: "load-balancer address", elapsedSeconds: elapsed / 1000 });
    await options.clock.sleep(options.pollMs, options.signal);
  }
}
