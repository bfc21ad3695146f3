// biome-ignore-all lint/suspicious/noExplicitAny: manifests and request bodies are plain JSON, read back field by field
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AksAdapters } from "../../commands/deploy-aks.js";
import type { CloudClient } from "../../src/deploy/aks/cloud-client.js";
import { buildServeManifests } from "../../src/deploy/aks/serve-manifests.js";
import { withSpecHash } from "../../src/deploy/aks/spec-hash.js";
import { createKubeClient } from "../../src/infra/kube-client-node.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { type FakeKubeServer, startFakeKubeServer } from "./fake-kube-server.js";
import { fakeClock, pod, settings } from "./fixtures.js";
import { runWithAks } from "./run-program.js";

let api: FakeKubeServer;
let dir: string;
let cleanup: () => Promise<void>;

const adapters: AksAdapters = {
  cloud: (): CloudClient => {
    throw new Error("no Azure call may happen with --kubeconfig");
  },
  connectKube: createKubeClient,
  clock: fakeClock(),
  pollMs: 1,
};

beforeEach(async () => {
  api = await startFakeKubeServer();
  ({ dir, cleanup } = await makeTempDir("mosaic-aks-http-"));
  await writeFile(path.join(dir, "kubeconfig"), api.kubeconfig());
  await writeFile(
    path.join(dir, "mosaic.config.json"),
    JSON.stringify({
      azure: { account: "artstore" },
      aks: { image: "myregistry.azurecr.io/mosaic:1.0", index: "az://indexes/art" },
    }),
  );
});
afterEach(async () => {
  await api.close();
  await cleanup();
});

const deploy = (...extra: string[]) =>
  runWithAks(["deploy", "aks", "--kubeconfig", "kubeconfig", ...extra], { cwd: dir, adapters });

const writes = () => api.writes().map((r) => `${r.method} ${r.path}`);

describe("the real @kubernetes/client-node adapter against a fake API server on 127.0.0.1", () => {
  it("creates the objects with the exact bodies, prints the endpoint, and a second run writes nothing", async () => {
    const first = await deploy();
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe("http://20.30.40.50/\n");
    expect(writes()).toEqual([
      "POST /api/v1/namespaces",
      "POST /apis/apps/v1/namespaces/mosaic/deployments",
      "POST /api/v1/namespaces/mosaic/services",
      "POST /apis/autoscaling/v2/namespaces/mosaic/horizontalpodautoscalers",
      "POST /apis/policy/v1/namespaces/mosaic/poddisruptionbudgets",
    ]);
    // What reached the server is exactly what mosaic built: the client's typed serializer dropped no
    // field (a misspelt or unknown field would have vanished here).
    const expected = buildServeManifests(settings(), {}, pod()).map(withSpecHash);
    const bodies = api.writes().map((r) => r.body);
    expect(bodies).toEqual(expected);
    expect(api.writes().every((r) => r.query.fieldManager === "mosaic")).toBe(true);

    api.resetRequests();
    const second = await deploy();
    expect(second.code).toBe(0);
    expect(writes()).toEqual([]);
  });

  it("a changed image is server-side applied to the Deployment only", async () => {
    await deploy();
    api.resetRequests();
    const run = await deploy("--image", "myregistry.azurecr.io/mosaic:1.1");
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    const patches = api.writes();
    expect(patches.map((r) => `${r.method} ${r.path}`)).toEqual([
      "PATCH /apis/apps/v1/namespaces/mosaic/deployments/mosaic",
    ]);
    expect(patches[0]!.contentType).toBe("application/apply-patch+yaml");
    expect(patches[0]!.query).toEqual({ fieldManager: "mosaic", force: "true" });
    expect((patches[0]!.body as any).spec.template.spec.containers[0].image).toBe(
      "myregistry.azurecr.io/mosaic:1.1",
    );
    expect(run.stderr).toMatch(/updated\s+Deployment mosaic\/mosaic/);
  });

  it("runs the featurize Indexed Job and the merge Job, then --delete removes only mosaic's objects", async () => {
    const job = await deploy("--job", "featurize", "--shards", "3", "--catalog", "az://catalogs/met.tsv");
    expect(job.stderr).not.toMatch(/Error/);
    expect(job.code).toBe(0);
    expect(job.stdout).toBe("az://indexes/art\n");
    const posted = api.writes().filter((r) => r.path.endsWith("/jobs"));
    expect(posted).toHaveLength(2);
    expect((posted[0]!.body as any).spec).toMatchObject({
      completionMode: "Indexed",
      completions: 3,
      backoffLimitPerIndex: 2,
    });
    expect((posted[1]!.body as any).spec.template.spec.containers[0].args.slice(0, 3)).toEqual([
      "index",
      "merge",
      "az://indexes/art",
    ]);
    expect(job.stderr).toMatch(/3\/3 shards done/);

    await deploy();
    // Something of the user's in the same namespace, and a Deployment of another mosaic deployment.
    api.objects.set("deployments/mosaic/theirs", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "theirs", namespace: "mosaic", labels: { app: "theirs" } },
    });
    api.resetRequests();
    const removed = await deploy("--delete");
    expect(removed.code).toBe(0);
    expect(writes().sort()).toEqual(
      [
        "DELETE /apis/autoscaling/v2/namespaces/mosaic/horizontalpodautoscalers/mosaic",
        "DELETE /apis/policy/v1/namespaces/mosaic/poddisruptionbudgets/mosaic",
        "DELETE /apis/apps/v1/namespaces/mosaic/deployments/mosaic",
        "DELETE /api/v1/namespaces/mosaic/services/mosaic",
        ...posted.map((r) => `DELETE /apis/batch/v1/namespaces/mosaic/jobs/${(r.body as any).metadata.name}`),
      ].sort(),
    );
    expect(
      api
        .writes()
        .every(
          (r) =>
            r.query.propagationPolicy === "Background" || (r.body as any)?.propagationPolicy === "Background",
        ),
    ).toBe(true);
    expect([...api.objects.keys()].sort()).toEqual(["deployments/mosaic/theirs", "namespaces//mosaic"]);
    expect(removed.stderr).toMatch(/kept\s+Namespace mosaic \(still holds 1 object/);
  });

  it("maps API errors to ExternalError with a hint", async () => {
    await api.close();
    const run = await deploy();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Kubernetes API at http:\/\/127\.0\.0\.1:\d+ did not answer/);
    expect(run.stderr).toMatch(/Hint: /);
    api = await startFakeKubeServer();
  });
});
