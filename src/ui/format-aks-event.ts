import type { AksEvent } from "../contracts/aks-event.js";

/** One line for people. */
export function formatAksEvent(event: AksEvent): string {
  switch (event.type) {
    case "azure":
    case "object":
      return `${event.outcome.padEnd(9)} ${event.target}${event.detail ? ` (${event.detail})` : ""}`;
    case "wait":
      return `waiting   ${event.what} (${Math.round(event.elapsedSeconds)} s)`;
    case "job": {
      const parts = [`${event.succeeded}/${event.total} shards done`, `${event.active} running`];
      if (event.retries > 0) parts.push(`${event.retries} retried`);
      if (event.failedIndexes) parts.push(`failed: ${event.failedIndexes}`);
      return `job       ${event.job}: ${parts.join(", ")}`;
    }
    case "endpoint":
      return `endpoint  ${event.url}`;
  }
}
