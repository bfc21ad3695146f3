// biome-ignore-all lint/suspicious/noExplicitAny: manifests and request bodies are plain JSON, read back field by field
import { describe, expect, it } from "vitest";
import { applyObjects } from "../../src/deploy/aks/apply-objects.js";
import { deleteKubeObjects } from "../../src/deploy/aks/delete-deployment.js";
import { followJob } from "../../src/deploy/aks/follow-job.js";
import { countIndexRanges } from "../../src/deploy/aks/index-ranges.js";
import type { KubeObject } from "../../src/deploy/aks/kube-client.js";
import { runFeaturizeJob } from "../../src/deploy/aks/run-featurize-job.js";
import { buildServeManifests } from "../../src/deploy/aks/serve-manifests.js";
import { waitForEndpoint } from "../../src/deploy/aks/wait-for-endpoint.js";
import { ExternalError, MosaicError } from "../../src/errors.js";
import { createFakeKubeClient } from "./fake-kube-client.js";
import { fakeClock, JOB_PLAN, pod, recordingReporter, settings } from "./fixtures.js";

const manifests = (overrides = {}) => buildServeManifests(settings(overrides), { nodePool: "mosaic" }, pod());

describe("create-or-update by spec hash", () => {
  it("creates everything, then a second run writes nothing, then a new image is applied", async () => {
    const kube = createFakeKubeClient();
    const reporter = recordingReporter();
    expect(await applyObjects(kube, manifests(), reporter)).toEqual([
      "created",
      "created",
      "created",
      "created",
      "created",
    ]);
    expect(kube.writes()).toEqual([
      "create Namespace mosaic",
      "create Deployment mosaic/mosaic",
      "create Service mosaic/mosaic",
      "create HorizontalPodAutoscaler mosaic/mosaic",
      "create PodDisruptionBudget mosaic/mosaic",
    ]);

    kube.log.splice(0);
    expect(await applyObjects(kube, manifests(), reporter)).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
    expect(kube.writes()).toEqual([]);

    kube.log.splice(0);
    const outcomes = await applyObjects(
      kube,
      manifests({ image: "myregistry.azurecr.io/mosaic:1.1" }),
      reporter,
    );
    expect(outcomes).toEqual(["unchanged", "updated", "unchanged", "unchanged", "unchanged"]);
    expect(kube.writes()).toEqual(["apply Deployment mosaic/mosaic"]);
    const deployment = kube.objects.get("Deployment/mosaic/mosaic") as any;
    expect(deployment.spec.template.spec.containers[0].image).toBe("myregistry.azurecr.io/mosaic:1.1");
  });

  it("uses a namespace it did not create as it is, but never overwrites a foreign object", async () => {
    const foreign: KubeObject[] = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "mosaic" } },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "mosaic", namespace: "mosaic", labels: { app: "theirs" } },
      },
    ];
    const kube = createFakeKubeClient(foreign);
    const err = await applyObjects(kube, manifests(), recordingReporter()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MosaicError);
    expect((err as Error).message).toMatch(
      /Deployment mosaic\/mosaic already exists and was not created by mosaic/,
    );
    expect(kube.writes()).toEqual([]);
  });
});

describe("waitForEndpoint", () => {
  it("polls until the load balancer has an address, then returns http://<ip>/", async () => {
    const kube = createFakeKubeClient();
    await applyObjects(kube, manifests(), recordingReporter());
    const clock = fakeClock();
    const reporter = recordingReporter();
    let reads = 0;
    const read = kube.read.bind(kube);
    kube.read = async (ref) => {
      const found = await read(ref);
      if (found && ref.kind === "Service" && ++reads >= 3)
        found.status = { loadBalancer: { ingress: [{ ip: "20.1.2.3" }] } };
      return found;
    };
    const url = await waitForEndpoint(
      kube,
      { namespace: "mosaic", name: "mosaic" },
      { timeoutMs: 60_000, pollMs: 5_000, clock, reporter },
    );
    expect(url).toBe("http://20.1.2.3/");
    expect(clock.slept).toEqual([5_000, 5_000]);
    expect(reporter.events.filter((e) => e.type === "wait")).toHaveLength(2);
  });

  it("gives up after the timeout with a hint", async () => {
    const kube = createFakeKubeClient();
    await applyObjects(kube, manifests(), recordingReporter());
    const err = await waitForEndpoint(
      kube,
      { namespace: "mosaic", name: "mosaic" },
      { timeoutMs: 20_000, pollMs: 5_000, clock: fakeClock(), reporter: recordingReporter() },
    ).catch((e: unknown) => e);
    expect((err as MosaicError).message).toMatch(/no load-balancer address within 20 s/);
    expect((err as MosaicError).hint).toMatch(/kubectl get service -n mosaic mosaic -w/);
  });
});

describe("featurize job", () => {
  it("counts index ranges", () => {
    expect(countIndexRanges("0-3,5,7-8")).toBe(7);
    expect(countIndexRanges("")).toBe(0);
    expect(countIndexRanges(undefined)).toBe(0);
  });

  it("submits the Indexed Job, reports progress and retries, then runs the merge", async () => {
    const kube = createFakeKubeClient();
    kube.onJobRead = (job, reads) => {
      const featurize = job.metadata.name.includes("-featurize-");
      const steps: Record<string, unknown>[] = featurize
        ? [
            { active: 4 },
            { active: 3, completedIndexes: "0", failed: 1 },
            { active: 1, completedIndexes: "0-2", failed: 1 },
            { completedIndexes: "0-3", failed: 1, conditions: [{ type: "Complete", status: "True" }] },
          ]
        : [{ active: 1 }, { succeeded: 1, conditions: [{ type: "Complete", status: "True" }] }];
      job.status = steps[Math.min(reads - 1, steps.length - 1)];
    };
    const reporter = recordingReporter();
    const result = await runFeaturizeJob(kube, settings(), { nodePool: "mosaic" }, pod(), JOB_PLAN, {
      clock: fakeClock(),
      reporter,
      pollMs: 10_000,
      timeoutMs: 3_600_000,
    });
    expect(result.index).toBe("az://indexes/art");
    expect(kube.writes()).toEqual([
      "create Namespace mosaic",
      `create Job mosaic/${result.featurizeJob}`,
      `create Job mosaic/${result.mergeJob}`,
    ]);
    const progress = reporter.events.filter((e) => e.type === "job" && e.job === result.featurizeJob);
    expect(progress.map((e) => e.type === "job" && [e.succeeded, e.active, e.retries])).toEqual([
      [0, 4, 0],
      [1, 3, 1],
      [3, 1, 1],
      [4, 0, 1],
    ]);
  });

  it("picks up its own running Job again instead of submitting another", async () => {
    const kube = createFakeKubeClient();
    kube.onJobRead = (job) => {
      job.status = { completedIndexes: "0-3", conditions: [{ type: "Complete", status: "True" }] };
    };
    const options = { clock: fakeClock(), reporter: recordingReporter(), pollMs: 1, timeoutMs: 10 };
    await runFeaturizeJob(kube, settings(), {}, pod(), JOB_PLAN, options);
    kube.log.splice(0);
    await runFeaturizeJob(kube, settings(), {}, pod(), JOB_PLAN, options);
    expect(kube.writes()).toEqual([]);
  });

  it("fails with the failed indexes and how to see their logs", async () => {
    const kube = createFakeKubeClient();
    kube.onJobRead = (job) => {
      job.status = {
        completedIndexes: "0-1,3",
        failedIndexes: "2",
        failed: 3,
        conditions: [
          { type: "Failed", status: "True", reason: "FailedIndexes", message: "Job has failed indexes" },
        ],
      };
    };
    const reporter = recordingReporter();
    const err = await followJob(
      kube,
      { namespace: "mosaic", name: "x" },
      { total: 4, retriesPerIndex: 2, pollMs: 1, timeoutMs: 10, clock: fakeClock(), reporter },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MosaicError); // the Job does not exist yet
    await kube.create({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "x", namespace: "mosaic" } });
    const failed = await followJob(
      kube,
      { namespace: "mosaic", name: "x" },
      { total: 4, retriesPerIndex: 2, pollMs: 1, timeoutMs: 10, clock: fakeClock(), reporter },
    ).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ExternalError);
    expect((failed as ExternalError).message).toMatch(/failed indexes: 2/);
    expect((failed as ExternalError).hint).toMatch(/batch.kubernetes.io\/job-completion-index=2/);
    expect(reporter.events.at(-1)).toMatchObject({
      type: "job",
      succeeded: 3,
      failed: 1,
      retries: 0,
      failedIndexes: "2",
    });
  });
});

describe("deleteKubeObjects", () => {
  it("deletes only what carries mosaic's labels for this deployment", async () => {
    const kube = createFakeKubeClient([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "theirs", namespace: "mosaic", labels: { app: "x" } },
      },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: {
          name: "other",
          namespace: "mosaic",
          labels: { "app.kubernetes.io/managed-by": "mosaic", "mosaic.dev/deployment": "other" },
        },
      },
    ]);
    await applyObjects(kube, manifests({ ingressHost: "a.example.org" }), recordingReporter());
    kube.log.splice(0);
    const reporter = recordingReporter();
    expect(await deleteKubeObjects(kube, settings(), reporter)).toBe(5);
    expect(kube.writes()).toEqual([
      "delete Ingress mosaic/mosaic",
      "delete HorizontalPodAutoscaler mosaic/mosaic",
      "delete PodDisruptionBudget mosaic/mosaic",
      "delete Deployment mosaic/mosaic",
      "delete Service mosaic/mosaic",
    ]);
    // The namespace is mosaic's, but deleting it would take the two other Deployments with it.
    expect(reporter.events.at(-1)).toMatchObject({ target: "Namespace mosaic", outcome: "kept" });
    expect([...kube.objects.keys()].sort()).toEqual([
      "Deployment/mosaic/other",
      "Deployment/mosaic/theirs",
      "Namespace//mosaic",
    ]);

    kube.objects.delete("Deployment/mosaic/other");
    kube.objects.delete("Deployment/mosaic/theirs");
    kube.log.splice(0);
    await deleteKubeObjects(kube, settings(), reporter);
    expect(kube.writes()).toEqual(["delete Namespace mosaic"]);
  });
});
