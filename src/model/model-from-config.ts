import { UsageError } from "../errors.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import { DEFAULT_MODEL, MODEL_PRESETS, type ModelPlan, resolveModel } from "./presets.js";

export interface ModelSetting {
  /** Preset name or a path to an .onnx file / TF.js model.json. */
  model?: string | undefined;
  /** Preset for a model path (cut, pooling, preprocessing). */
  modelPreset?: string | undefined;
  preprocess?: "caffe" | Partial<PreprocessSpec> | undefined;
}

const CAFFE = MODEL_PRESETS["resnet50-keras"]?.spec;

/** Turns the `model` / `modelPreset` / `preprocess` settings into a plan. */
export function modelFromConfig(setting: ModelSetting): ModelPlan {
  const name = setting.model ?? DEFAULT_MODEL;
  const isPreset = name in MODEL_PRESETS;
  if (!isPreset && !/\.(onnx|json)$/i.test(name)) {
    throw new UsageError(`Unknown model "${name}"`, {
      hint: `Use a preset (${Object.keys(MODEL_PRESETS).join(", ")}) or a path to an .onnx file or a TF.js model.json.`,
    });
  }
  const presetName = isPreset ? name : (setting.modelPreset ?? "resnet50-keras");
  const resolved = isPreset ? resolveModel(name) : resolveModel(presetName, { path: name });
  const plan: ModelPlan = {
    ...resolved,
    specSource:
      isPreset || setting.modelPreset
        ? `preset ${presetName}`
        : `preset ${presetName} (the default for a model path)`,
    // Without a preset, an .onnx file's own input size is the only authority there is.
    sizeFromModel: !isPreset && setting.modelPreset === undefined && resolved.source.kind === "onnx",
  };
  if (!setting.preprocess) return plan;
  const override = setting.preprocess === "caffe" ? CAFFE : setting.preprocess;
  const fixesSize =
    setting.preprocess === "caffe" || override?.height !== undefined || override?.width !== undefined;
  return {
    ...plan,
    spec: { ...plan.spec, ...override },
    specSource: `${plan.specSource} with preprocess from the config`,
    sizeFromModel: plan.sizeFromModel && !fixesSize,
  };
}

/** For query/serve: the preset whose features an index holds, when it was built from a bundled model. */
export function planForModelId(id: string): ModelPlan | undefined {
  for (const name of Object.keys(MODEL_PRESETS)) {
    try {
      const plan = resolveModel(name);
      if (plan.id === id) return plan;
    } catch {
      // presets without bundled weights cannot match by id alone
    }
  }
  return undefined;
}
