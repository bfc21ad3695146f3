// biome-ignore-all lint/suspicious/noExplicitAny: manifests and request bodies are plain JSON, read back field by field
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { loadAllYaml } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { featurizeJobObjects } from "../../src/deploy/aks/run-featurize-job.js";
import { buildNamespace, buildServeManifests } from "../../src/deploy/aks/serve-manifests.js";
import { withSpecHash } from "../../src/deploy/aks/spec-hash.js";
import { toYamlDocuments } from "../../src/deploy/aks/to-yaml.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { type FakeKubeServer, startFakeKubeServer } from "./fake-kube-server.js";
import { JOB_PLAN, pod, settings } from "./fixtures.js";

const run = promisify(execFile);
const TEMPLATES = path.resolve(import.meta.dirname, "../../templates/k8s");
const HEADER =
  "# Rendered by `mosaic deploy aks --dry-run` from the example config in test/deploy-aks/fixtures.ts.\n" +
  "# Regenerate with `npx vitest run test/deploy-aks/manifests.test.ts -u`.\n";

const serve = () =>
  buildServeManifests(settings({ ingressHost: "mosaic.example.org" }), { nodePool: "mosaic" }, pod()).map(
    withSpecHash,
  );
const serveGpu = () =>
  buildServeManifests(
    settings({ gpu: true, cpu: "4", memory: "24Gi" }),
    { nodePool: "mosaic" },
    pod("4"),
  ).map(withSpecHash);
const jobs = () => {
  const s = settings({ parallelism: 2 });
  return [buildNamespace(s), ...featurizeJobObjects(s, { nodePool: "mosaic" }, pod(), JOB_PLAN)].map(
    withSpecHash,
  );
};

const RENDERED = { "serve.yaml": serve, "serve-gpu.yaml": serveGpu, "featurize-job.yaml": jobs };

describe("rendered manifests", () => {
  for (const [file, build] of Object.entries(RENDERED)) {
    it(`${file} matches templates/k8s/${file}`, async () => {
      await expect(HEADER + toYamlDocuments(build())).toMatchFileSnapshot(path.join(TEMPLATES, file));
    });

    it(`${file} reads back as the same objects`, () => {
      expect(loadAllYaml(toYamlDocuments(build()))).toEqual(build());
    });
  }

  it("carries the labels, probes, resources and index the brief asks for", () => {
    const [ns, deployment, service, hpa, , ingress] = serve() as [any, any, any, any, any, any];
    for (const o of [ns, deployment, service, hpa, ingress]) {
      expect(o.metadata.labels).toMatchObject({
        "app.kubernetes.io/managed-by": "mosaic",
        "mosaic.dev/deployment": "mosaic",
      });
    }
    const container = deployment.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.resources.requests).toEqual({ cpu: "2", memory: "16Gi" });
    expect(container.args).toEqual(expect.arrayContaining(["--index", "az://indexes/art"]));
    expect(deployment.spec.replicas).toBeUndefined();
    expect(service.spec).toMatchObject({ type: "LoadBalancer", ports: [{ port: 80, targetPort: "http" }] });
    expect(container.ports[0].containerPort).toBe(8890);
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(ingress.spec.rules[0].host).toBe("mosaic.example.org");
    const gpu = (serveGpu()[1] as any).spec.template.spec;
    expect(gpu.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
    expect(gpu.containers[0].resources.requests["nvidia.com/gpu"]).toBe("1");
    expect(gpu.tolerations).toContainEqual({
      key: "nvidia.com/gpu",
      operator: "Exists",
      effect: "NoSchedule",
    });
  });

  it("meets the restricted Pod Security Standard, drains one pod at a time and delays SIGTERM", () => {
    const [ns, deployment, , , pdb] = serve() as [any, any, any, any, any];
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const restricted = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    };
    const jobObjects = jobs().filter((o) => o.kind === "Job") as any[];
    for (const spec of [deployment.spec.template.spec, ...jobObjects.map((j) => j.spec.template.spec)]) {
      expect(spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
      for (const c of spec.containers) expect(c.securityContext).toEqual(restricted);
    }
    expect(pdb).toMatchObject({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      spec: { maxUnavailable: 1, selector: deployment.spec.selector },
    });
    const container = deployment.spec.template.spec.containers[0];
    expect(container.lifecycle.preStop.exec.command).toEqual(["node", "-e", "setTimeout(() => {}, 10000)"]);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(40);
  });

  it("makes the featurize job Indexed, one shard per index, retried per index", () => {
    const [, featurize, merge] = jobs() as [any, any, any];
    expect(featurize.spec).toMatchObject({
      completionMode: "Indexed",
      completions: 4,
      parallelism: 2,
      backoffLimitPerIndex: 2,
    });
    const container = featurize.spec.template.spec.containers[0];
    expect(container.args.slice(0, 7)).toEqual([
      "featurize",
      "--catalog",
      "az://catalogs/met.tsv",
      "--out",
      "az://indexes/art-work/parts/$(JOB_COMPLETION_INDEX)",
      "--shard",
      "$(JOB_COMPLETION_INDEX)/4",
    ]);
    expect(featurize.spec.template.spec.restartPolicy).toBe("Never");
    expect(merge.spec.template.spec.containers[0].args).toEqual([
      "index",
      "merge",
      "az://indexes/art",
      ...[0, 1, 2, 3].map((i) => `az://indexes/art-work/parts/${i}`),
    ]);
    expect(featurize.metadata.name).toMatch(/^mosaic-featurize-[0-9a-f]{8}$/);
  });
});

describe("kubectl accepts the manifests (client-side dry run)", () => {
  let api: FakeKubeServer;
  let dir: string;
  let cleanup: () => Promise<void>;
  let kubectl: string | undefined;
  beforeAll(async () => {
    kubectl = await run("kubectl", ["version", "--client", "-o", "json"]).then(
      () => "kubectl",
      () => undefined,
    );
    ({ dir, cleanup } = await makeTempDir("mosaic-kubectl-"));
    api = await startFakeKubeServer();
    await writeFile(path.join(dir, "kubeconfig"), api.kubeconfig());
  });
  afterAll(async () => {
    await api.close();
    await cleanup();
  });

  for (const file of Object.keys(RENDERED)) {
    it(`kubectl apply --dry-run=client -f ${file}`, async (context) => {
      if (!kubectl) {
        context.skip("kubectl is not on PATH: skipping the kubectl check");
        return;
      }
      const expected = RENDERED[file as keyof typeof RENDERED]();
      // The same text as templates/k8s/<file> (the snapshot test above keeps those in step).
      const manifest = path.join(dir, file);
      await writeFile(manifest, HEADER + toYamlDocuments(expected));
      // kubectl resolves kinds through discovery even for a client-side dry run, so it talks to the
      // fake API server; schema validation needs the server's OpenAPI, which no offline setup has.
      const { stdout } = await run(
        kubectl,
        [
          "apply",
          "--dry-run=client",
          "--validate=false",
          "-o",
          "json",
          "--kubeconfig",
          path.join(dir, "kubeconfig"),
          "-f",
          manifest,
        ],
        { env: { ...process.env, HOME: dir, KUBECACHEDIR: path.join(dir, "cache") } },
      );
      const parsed = JSON.parse(stdout) as { kind: string; items?: unknown[] };
      const items = (parsed.kind === "List" ? parsed.items! : [parsed]) as {
        kind: string;
        metadata: { name: string };
      }[];
      expect(items.map((i) => `${i.kind}/${i.metadata.name}`)).toEqual(
        expected.map((o) => `${o.kind}/${o.metadata.name}`),
      );
      // No write reached the server: a client-side dry run only reads.
      expect(api.writes()).toEqual([]);
    });
  }
});
