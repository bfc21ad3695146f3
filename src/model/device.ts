/** What the user asks for: a specific execution provider, or `auto` to take the best one that starts. */
export type DeviceChoice = "auto" | "cpu" | "webgpu" | "cuda";

/** An ONNX Runtime execution provider mosaic can run a model on. */
export type Device = Exclude<DeviceChoice, "auto">;

/** Numeric precision of the model's weights and arithmetic; inputs and outputs stay float32 either way. */
export type Precision = "fp32" | "fp16";

/** A device that was tried (or ruled out before trying) and why it was not used. */
export interface SkippedDevice {
  device: Device;
  reason: string;
}

/** The device a model ended up on, and one reason for each better one that did not start. */
export interface DeviceSelection {
  device: Device;
  skipped: readonly SkippedDevice[];
}

/** Devices to try for a choice, best first: CUDA kernels beat WebGPU shaders, and the CPU always works. */
export function candidateDevices(choice: DeviceChoice): Device[] {
  return choice === "auto" ? ["cuda", "webgpu", "cpu"] : [choice];
}

/**
 * One line for people: "webgpu (cuda: … ; …)" — the chosen device and why the better ones were skipped.
 * `brief` names the skipped devices only: on a machine without a GPU the reasons are a paragraph of driver
 * advice, printed on every run, for a choice the user never made (`--verbose` shows them).
 */
export function describeSelection(selection: DeviceSelection, options: { brief?: boolean } = {}): string {
  if (selection.skipped.length === 0) return selection.device;
  if (options.brief) {
    const names = selection.skipped.map((s) => s.device).join(" and ");
    return `${selection.device} (${names} not available here; --verbose says why)`;
  }
  const why = selection.skipped.map((s) => `${s.device}: ${s.reason}`).join("; ");
  return `${selection.device} (${why})`;
}
