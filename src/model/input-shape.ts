import { MosaicError } from "../errors.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import { MODEL_PRESETS } from "./presets.js";

/** A model input's declared shape as ONNX Runtime reports it: numbers fixed, strings symbolic. */
export type DeclaredShape = readonly (number | string)[];

/** Height, width and layout a declared 4-d image input fixes, when it fixes them. */
function fixedImageSize(
  shape: DeclaredShape,
): { height: number; width: number; layout: PreprocessSpec["layout"] } | undefined {
  if (shape.length !== 4) return undefined;
  const [, a, b, c] = shape;
  const fixed = (v: number | string | undefined): v is number => typeof v === "number" && v > 0;
  if (c === 3 && fixed(a) && fixed(b)) return { height: a, width: b, layout: "nhwc" };
  if (a === 3 && fixed(b) && fixed(c)) return { height: b, width: c, layout: "nchw" };
  return undefined;
}

const show = (shape: DeclaredShape) => `[${shape.map((d) => (typeof d === "number" ? d : "N")).join(",")}]`;
const fed = (spec: PreprocessSpec) =>
  spec.layout === "nhwc" ? [1, spec.height, spec.width, 3] : [1, 3, spec.height, spec.width];

export interface FitOptions {
  /** The model file, for messages. */
  label: string;
  /** Where the spec came from ("preset resnet50-keras"), for messages. */
  specSource: string;
  /** True when no preset or config fixed the size: take height, width and layout from the model. */
  sizeFromModel: boolean;
}

/**
 * Checks the preprocessing against the input the model declares, before any run. When the size is not
 * fixed by the user, the model's own size wins; otherwise a mismatch is an error naming both shapes and
 * the presets (or config) that would feed the right one.
 */
export function fitSpecToModel(
  spec: PreprocessSpec,
  shape: DeclaredShape,
  options: FitOptions,
): PreprocessSpec {
  const declared = fixedImageSize(shape);
  if (!declared) return spec;
  if (options.sizeFromModel) return { ...spec, ...declared };
  if (declared.height === spec.height && declared.width === spec.width && declared.layout === spec.layout)
    return spec;
  throw new MosaicError(
    `Model ${options.label} takes input ${show(shape)} but ${options.specSource} feeds ${show(fed(spec))}`,
    { hint: fixHint(declared) },
  );
}

function fixHint(declared: { height: number; width: number; layout: PreprocessSpec["layout"] }): string {
  const sameSize = Object.values(MODEL_PRESETS).filter(
    (p) => p.spec.height === declared.height && p.spec.width === declared.width,
  );
  // Presets made for your own weights first: the bundled ones bring weights of their own.
  const own = sameSize.filter((p) => p.source === undefined);
  const matching = (own.length > 0 ? own : sameSize).map((p) => p.name);
  const config = `or set preprocess { height: ${declared.height}, width: ${declared.width}${
    declared.layout === "nchw" ? ', layout: "nchw"' : ""
  } } in mosaic.config`;
  return matching.length > 0
    ? `Pass --model-preset ${matching.join(" or --model-preset ")} (${declared.height}×${declared.width}), ${config}.`
    : `No preset feeds ${declared.height}×${declared.width}: ${config.replace(/^or /, "")}.`;
}
