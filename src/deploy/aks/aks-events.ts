import type { AksEvent } from "../../contracts/aks-event.js";

export type { AksEvent } from "../../contracts/aks-event.js";

export interface AksReporter {
  emit(event: AksEvent): void;
}
