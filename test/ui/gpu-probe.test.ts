import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createGpuPoller,
  type ExecFileFn,
  type GpuEvent,
  type GpuPoller,
  NVIDIA_SMI_ARGS,
  parseNvidiaSmiCsv,
  probeGpus,
} from "../../src/infra/gpu-probe.js";
import type { ProcessStats } from "../../src/infra/process-stats.js";

const H100 = "0, NVIDIA H100 80GB HBM3, 87, 10240, 81559, 54, 310.52";

describe("parseNvidiaSmiCsv", () => {
  it("reads one sample per GPU line", () => {
    expect(parseNvidiaSmiCsv(`${H100}\n1, NVIDIA A10, 3, 0, 23028, 31, 15.83\n`)).toEqual([
      {
        index: 0,
        name: "NVIDIA H100 80GB HBM3",
        utilization: 87,
        memoryUsedMiB: 10240,
        memoryTotalMiB: 81559,
        temperatureC: 54,
        powerW: 310.52,
      },
      {
        index: 1,
        name: "NVIDIA A10",
        utilization: 3,
        memoryUsedMiB: 0,
        memoryTotalMiB: 23028,
        temperatureC: 31,
        powerW: 15.83,
      },
    ]);
  });

  it("turns [N/A] and [Not Supported] into NaN and keeps the other readings", () => {
    const [gpu] = parseNvidiaSmiCsv("0, Tesla T4, [N/A], 300, 15360, [Not Supported], [N/A]\r\n");
    expect(gpu?.name).toBe("Tesla T4");
    expect(gpu?.utilization).toBeNaN();
    expect(gpu?.memoryUsedMiB).toBe(300);
    expect(gpu?.temperatureC).toBeNaN();
    expect(gpu?.powerW).toBeNaN();
  });

  it("keeps a name that contains commas and tolerates units", () => {
    const [gpu] = parseNvidiaSmiCsv("2, Weird, GPU, 5 %, 1 MiB, 2 MiB, 40, 70.1 W");
    expect(gpu).toMatchObject({
      index: 2,
      name: "Weird, GPU",
      utilization: 5,
      memoryTotalMiB: 2,
      powerW: 70.1,
    });
  });

  it("skips empty output, headers and error text", () => {
    expect(parseNvidiaSmiCsv("")).toEqual([]);
    expect(parseNvidiaSmiCsv("No devices were found\n")).toEqual([]);
    expect(
      parseNvidiaSmiCsv(
        "index, name, utilization.gpu [%], memory.used [MiB], memory.total [MiB], temperature.gpu, power.draw [W]\n",
      ),
    ).toEqual([]);
  });
});

const execError = (props: Record<string, unknown>) => Object.assign(new Error("exec failed"), props);

describe("probeGpus", () => {
  it("passes the query arguments and parses the answer", async () => {
    const exec = vi.fn<ExecFileFn>(async () => ({ stdout: `${H100}\n`, stderr: "" }));
    const result = await probeGpus({ exec });
    expect(exec).toHaveBeenCalledWith("nvidia-smi", NVIDIA_SMI_ARGS, expect.anything());
    expect(result).toMatchObject({ note: null, final: false });
    expect(result.gpus).toHaveLength(1);
  });

  it.each([
    [{ code: "ENOENT" }, "no NVIDIA GPU found (nvidia-smi not on PATH)", true],
    [
      { code: 9, stdout: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n" },
      "no NVIDIA GPU found (nvidia-smi failed with code 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.)",
      true,
    ],
    [{ code: 6, stdout: "", stderr: "" }, "no NVIDIA GPU found (nvidia-smi failed with code 6)", true],
    [{ killed: true, signal: "SIGTERM" }, "no GPU data (nvidia-smi timed out)", false],
  ])("explains %o", async (props, note, final) => {
    const result = await probeGpus({ exec: () => Promise.reject(execError(props)) });
    expect(result).toEqual({ gpus: [], note, final });
  });

  it("reports a GPU-less answer as a note", async () => {
    const result = await probeGpus({ exec: async () => ({ stdout: "No devices were found\n", stderr: "" }) });
    expect(result).toEqual({ gpus: [], note: "no NVIDIA GPU found (nvidia-smi lists none)", final: true });
  });
});

const fakeStats: ProcessStats = { sample: () => ({ cpuPercent: 12.5, rssBytes: 1234 }) };

describe("createGpuPoller with fake timers", () => {
  let poller: GpuPoller | undefined;
  afterEach(() => {
    poller?.stop();
    vi.useRealTimers();
  });

  it("samples every interval until stopped", async () => {
    vi.useFakeTimers();
    const samples: GpuEvent[] = [];
    let at = 0;
    poller = createGpuPoller({
      intervalMs: 1000,
      onSample: (e) => samples.push(e),
      exec: async () => ({ stdout: H100, stderr: "" }),
      processStats: fakeStats,
      now: () => (at += 1000),
    });
    poller.start();
    poller.start(); // idempotent
    await vi.advanceTimersByTimeAsync(0);
    expect(samples).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(samples).toHaveLength(3);
    expect(samples[0]).toEqual({
      type: "gpu",
      at: 1000,
      gpus: parseNvidiaSmiCsv(H100),
      process: { cpuPercent: 12.5, rssBytes: 1234 },
      note: null,
    });
    poller.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(samples).toHaveLength(3);
  });

  it("stops asking nvidia-smi once it is known to be missing but keeps reporting process stats", async () => {
    vi.useFakeTimers();
    const samples: GpuEvent[] = [];
    const exec = vi.fn<ExecFileFn>(() => Promise.reject(execError({ code: "ENOENT" })));
    poller = createGpuPoller({
      intervalMs: 500,
      onSample: (e) => samples.push(e),
      exec,
      processStats: fakeStats,
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(samples).toHaveLength(3);
    expect(exec).toHaveBeenCalledTimes(1);
    expect(samples.every((s) => s.gpus.length === 0 && s.process.rssBytes === 1234)).toBe(true);
    expect(samples[2]?.note).toBe("no NVIDIA GPU found (nvidia-smi not on PATH)");
  });

  it("stop() aborts a sample in flight and emits nothing more", async () => {
    const onSample = vi.fn();
    let seen: AbortSignal | undefined;
    const exec: ExecFileFn = (_file, _args, { signal }) => {
      seen = signal;
      return new Promise((_resolve, reject) => {
        signal.addEventListener("abort", () =>
          reject(Object.assign(new Error("aborted"), { name: "AbortError" })),
        );
      });
    };
    poller = createGpuPoller({ onSample, exec, processStats: fakeStats });
    poller.start();
    expect(seen?.aborted).toBe(false);
    poller.stop();
    expect(seen?.aborted).toBe(true);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(onSample).not.toHaveBeenCalled();
  });
});

describe("createGpuPoller with a real nvidia-smi on PATH", () => {
  let dir: string;
  let emptyDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "mosaic-fake-smi-"));
    emptyDir = await mkdtemp(path.join(tmpdir(), "mosaic-empty-path-"));
    const script = path.join(dir, "nvidia-smi");
    await writeFile(
      script,
      [
        "#!/bin/sh",
        `printf '%s\\n' "$@" > '${path.join(dir, "args.txt")}'`,
        `echo '${H100}'`,
        "echo '1, Tesla T4, [N/A], 300, 15360, 40, [Not Supported]'",
        "",
      ].join("\n"),
    );
    await chmod(script, 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(emptyDir, { recursive: true, force: true });
  });

  const firstSample = (env: NodeJS.ProcessEnv) =>
    new Promise<GpuEvent>((resolve) => {
      const poller = createGpuPoller({
        env,
        onSample: (event) => {
          poller.stop();
          resolve(event);
        },
      });
      poller.start();
    });

  it("runs the nvidia-smi found first on PATH with the query arguments", async () => {
    const event = await firstSample({
      ...process.env,
      PATH: `${dir}${path.delimiter}${process.env.PATH ?? ""}`,
    });
    expect(event.note).toBeNull();
    expect(event.gpus.map((g) => g.name)).toEqual(["NVIDIA H100 80GB HBM3", "Tesla T4"]);
    expect(event.gpus[1]?.utilization).toBeNaN();
    expect(event.process.rssBytes).toBeGreaterThan(0);
    expect(event.process.cpuPercent).toBeGreaterThanOrEqual(0);
    const args = (await readFile(path.join(dir, "args.txt"), "utf8")).trim().split("\n");
    expect(args).toEqual([...NVIDIA_SMI_ARGS]);
  });

  it("without nvidia-smi on PATH reports why, with this process's CPU and RSS", async () => {
    const event = await firstSample({ ...process.env, PATH: emptyDir });
    expect(event.gpus).toEqual([]);
    expect(event.note).toBe("no NVIDIA GPU found (nvidia-smi not on PATH)");
    expect(event.process.rssBytes).toBeGreaterThan(0);
    expect(Number.isFinite(event.process.cpuPercent)).toBe(true);
  });

  it("does not keep the process alive when nobody stops it", async () => {
    const probe = fileURLToPath(new URL("../../src/infra/gpu-probe.ts", import.meta.url));
    const script = path.join(emptyDir, "never-stopped.ts");
    await writeFile(
      script,
      [
        `import { createGpuPoller } from ${JSON.stringify(probe)};`,
        "createGpuPoller({ intervalMs: 50, onSample: (e) => console.log(e.note) }).start();",
        "",
      ].join("\n"),
    );
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", script],
        { cwd: process.cwd(), env: { ...process.env, PATH: emptyDir }, timeout: 30_000 },
        (error, out) => (error ? reject(error) : resolve(out)),
      );
    });
    // It exited by itself (no timeout kill) after its first sample.
    expect(stdout).toBe("no NVIDIA GPU found (nvidia-smi not on PATH)\n");
  });
});
