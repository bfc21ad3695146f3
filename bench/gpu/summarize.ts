/**
 * The bench:gpu summary, from the files run.sh wrote into one output folder: every model-only row next to
 * PyTorch eager at the same batch and precision (ratio), the parity rows, and end-to-end featurize next to
 * the same machine's decode-only rate. Usage: summarize <out-dir>
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const out = process.argv[2] ?? ".";
const jsonLines = <T>(name: string): T[] => {
  const file = path.join(out, name);
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      // A stage that failed halfway leaves a partial line; the summary shows what did finish.
      try {
        return [JSON.parse(line) as T];
      } catch {
        return [];
      }
    });
};

interface TorchRow {
  batch: number;
  fp32: number;
  fp16: number;
}
interface ModelRow {
  device: string;
  precision: "fp32" | "fp16";
  batch: number;
  imgPerSec: number;
  cosineMin: number;
  layout?: string;
  pixels?: string;
  skipped?: { device: string; reason: string }[];
}
interface RateRow {
  name: string;
  overall: number;
  steady: number;
}

const torch = jsonLines<TorchRow>("torch.jsonl");
const model = jsonLines<ModelRow>("model.jsonl");
const rates = jsonLines<RateRow>("e2e.jsonl");
const torchAt = (batch: number, precision: "fp32" | "fp16") =>
  torch.find((t) => t.batch === batch)?.[precision];
const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : "–");

const lines: string[] = [];
lines.push(
  "model-only img/s (ResNet50, 224², random weights) and ratio to PyTorch eager, same batch/precision",
);
for (const t of torch)
  lines.push(`  pytorch eager  fp32/fp16  batch ${String(t.batch).padEnd(4)} ${t.fp32} / ${t.fp16}`);
for (const r of model) {
  const ref = torchAt(r.batch, r.precision);
  const asked = r.skipped?.length ? ` (fell back: ${r.skipped.map((s) => s.reason).join("; ")})` : "";
  lines.push(
    `  mosaic ${r.device.padEnd(7)} ${r.precision} ${(r.layout ?? "nchw").padEnd(4)} ${(r.pixels ?? "float32").padEnd(7)} batch ${String(r.batch).padEnd(4)} ${String(r.imgPerSec).padStart(6)}  = ${ratio(r.imgPerSec, ref)} pytorch ${r.precision}; cosine vs cpu ${r.cosineMin}${asked}`,
  );
}
const best = (device: string, precision: string) =>
  model
    .filter((r) => r.device === device && r.precision === precision)
    .reduce<ModelRow | undefined>((a, r) => (a && a.imgPerSec >= r.imgPerSec ? a : r), undefined);
for (const device of ["cuda", "webgpu"]) {
  for (const precision of ["fp16", "fp32"] as const) {
    const r = best(device, precision);
    if (!r) continue;
    lines.push(
      `best ${device} ${precision}: ${r.imgPerSec} img/s at batch ${r.batch} = ${ratio(r.imgPerSec, torchAt(r.batch, precision))} pytorch eager ${precision} at that batch (best pytorch ${precision}: ${Math.max(0, ...torch.map((t) => t[precision]))})`,
    );
  }
}
for (const p of jsonLines<ModelRow>("parity.jsonl")) {
  lines.push(
    `parity mosaic default model ${p.device} ${p.precision}: min cosine vs cpu over 8 inputs ${p.cosineMin}`,
  );
}
for (const p of jsonLines<Record<string, unknown>>("aic-parity.jsonl")) {
  lines.push(`parity aic-sample index ${String(p.name)}: ${JSON.stringify(p)}`);
}
// Each run is compared with the decode-only run of its input form (names end -float32 / -uint8; older
// outputs have one "decode-only").
const form = (name: string) => name.match(/-(float32|uint8)$/)?.[1] ?? "";
const decodes = rates.filter((r) => r.name.startsWith("decode-only"));
for (const r of rates) {
  if (r.name.startsWith("decode-only")) continue;
  const decode = decodes.find((d) => form(d.name) === form(r.name)) ?? decodes[0];
  lines.push(
    `end-to-end ${r.name}: ${r.steady} img/s steady (${r.overall} overall) = ${ratio(r.steady, decode?.steady)} ${decode?.name ?? "decode-only"} (${decode?.steady ?? "–"} img/s)`,
  );
}
for (const d of decodes)
  lines.push(`${d.name} (featurize --dry-run): ${d.steady} img/s steady (${d.overall} overall)`);
console.log(lines.join("\n"));
