import { type AksConfigInput, aksSchema } from "../../src/config/aks-schema.js";
import { configSchema } from "../../src/config/schema.js";
import type { AksEvent, AksReporter } from "../../src/deploy/aks/aks-events.js";
import { type AksSettings, resolveAksSettings } from "../../src/deploy/aks/aks-settings.js";
import type { Clock } from "../../src/deploy/aks/clock.js";
import type { FeaturizeJobPlan } from "../../src/deploy/aks/job-manifests.js";
import { type PodConfig, podConfigFrom } from "../../src/deploy/aks/pod-config.js";

export function settings(overrides: AksConfigInput = {}): AksSettings {
  return resolveAksSettings(
    aksSchema.parse({
      image: "myregistry.azurecr.io/mosaic:1.0",
      index: "az://indexes/art",
      ...overrides,
    }),
  );
}

export function pod(cpu = "2"): PodConfig {
  return podConfigFrom(configSchema.parse({ azure: { account: "artstore" } }), cpu);
}

export const JOB_PLAN: FeaturizeJobPlan = {
  catalog: "az://catalogs/met.tsv",
  out: "az://indexes/art",
  work: "az://indexes/art-work",
  shards: 4,
};

export function recordingReporter(): AksReporter & { events: AksEvent[] } {
  const events: AksEvent[] = [];
  return { events, emit: (event) => void events.push(event) };
}

/** A clock whose sleep advances time at once. */
export function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}
