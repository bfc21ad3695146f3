// biome-ignore-all lint/suspicious/noExplicitAny: manifests and request bodies are plain JSON, read back field by field
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { loadAllYaml } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AksAdapters } from "../../commands/deploy-aks.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { fakeClock } from "./fixtures.js";
import { runWithAks } from "./run-program.js";

let dir: string;
let cleanup: () => Promise<void>;
const touched: string[] = [];
/** Any adapter use during --dry-run fails the test. */
const untouchable: AksAdapters = {
  cloud: () => {
    touched.push("cloud");
    throw new Error("dry run created an Azure client");
  },
  connectKube: () => {
    touched.push("kube");
    throw new Error("dry run connected to Kubernetes");
  },
  clock: fakeClock(),
  pollMs: 1,
};

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir("mosaic-aks-cli-"));
  touched.splice(0);
  await writeFile(
    path.join(dir, "mosaic.config.json"),
    JSON.stringify({
      catalog: "az://catalogs/met.tsv",
      aks: {
        subscription: "00000000-0000-0000-0000-000000000000",
        image: "myregistry.azurecr.io/mosaic:1.0",
        index: "az://indexes/art",
      },
    }),
  );
});
afterEach(() => cleanup());

const cli = (...argv: string[]) =>
  runWithAks(["deploy", "aks", ...argv], { cwd: dir, adapters: untouchable });

describe("mosaic deploy aks --dry-run", () => {
  it("prints every Azure call with its request and every manifest, touching nothing", async () => {
    const run = await cli("--dry-run");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(touched).toEqual([]);
    expect(run.stdout).toMatchSnapshot();
    expect(run.stdout).toMatch(/containerService\.managedClusters\.createOrUpdate\("mosaic", "mosaic", \{/);
    expect(run.stdout).toMatch(/"managed-by": "mosaic"/);
    const docs = loadAllYaml(run.stdout) as { kind: string }[];
    expect(docs.map((d) => d.kind)).toEqual([
      "Namespace",
      "Deployment",
      "Service",
      "HorizontalPodAutoscaler",
      "PodDisruptionBudget",
    ]);
  });

  it("--json gives the plan as one JSON document", async () => {
    const run = await runWithAks(
      ["--json", "deploy", "aks", "--dry-run", "--job", "featurize", "--shards", "4"],
      {
        cwd: dir,
        adapters: untouchable,
      },
    );
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as {
      azure: { sdk: string }[];
      manifests: { kind: string; spec?: any }[];
    };
    expect(plan.manifests.map((m) => m.kind)).toEqual(["Namespace", "Job", "Job"]);
    expect(plan.manifests[1]!.spec.completions).toBe(4);
    expect(plan.azure.at(-1)!.sdk).toBe("containerService.managedClusters.listClusterUserCredentials");
  });

  it("--delete --dry-run lists the deletions", async () => {
    const run = await cli("--delete", "--dry-run");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/containerService\.managedClusters\.delete\("mosaic", "mosaic"\)/);
    expect(run.stdout).toMatch(
      /kubectl delete deployment -n mosaic -l app.kubernetes.io\/managed-by=mosaic,mosaic.dev\/deployment=mosaic/,
    );
    expect(touched).toEqual([]);
  });

  it("--kubeconfig plans no Azure calls", async () => {
    const run = await cli("--dry-run", "--kubeconfig", "nowhere.yaml");
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/Azure calls/);
  });
});

describe("flag and config errors", () => {
  it.each([
    [["--shards", "3"], /--shards needs --job featurize/],
    [["--job", "featurize"], /needs --shards/],
    [["--delete", "--job", "featurize", "--shards", "2"], /cannot be combined/],
    [["--catalog", "az://c/x.tsv"], /go with --job featurize/],
    [
      ["--job", "featurize", "--shards", "2", "--catalog", "local.tsv", "--dry-run"],
      /catalog the pods can read/,
    ],
    [["--job", "nope"], /Allowed choices/],
  ])("%j → usage error", async (argv, message) => {
    const run = await cli(...argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("names the missing image before any Azure call", async () => {
    await writeFile(
      path.join(dir, "mosaic.config.json"),
      JSON.stringify({ aks: { index: "az://indexes/art" } }),
    );
    const run = await cli();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/aks.image is not set/);
    expect(run.stderr).toMatch(/mosaic docker push/);
    expect(touched).toEqual([]);
  });

  it("refuses the README's unfilled placeholders, in --dry-run too, naming each field", async () => {
    await writeFile(
      path.join(dir, "mosaic.config.json"),
      JSON.stringify({
        azure: { account: "<storage-account>" },
        aks: { image: "<registry>.azurecr.io/mosaic:1", index: "az://indexes/art" },
      }),
    );
    for (const argv of [["--dry-run"], []]) {
      const run = await cli(...argv);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain('aks.image: "<registry>.azurecr.io/mosaic:1" (<registry>)');
      expect(run.stderr).toContain('azure.account: "<storage-account>" (<storage-account>)');
    }
    expect(touched).toEqual([]);
  });

  it("validates the aks config section with its path", async () => {
    await writeFile(
      path.join(dir, "mosaic.config.json"),
      JSON.stringify({ aks: { nodePool: "Bad_Pool", minNodes: -1 } }),
    );
    const run = await cli("--dry-run");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/aks\.nodePool/);
    expect(run.stderr).toMatch(/aks\.minNodes/);
  });
});
