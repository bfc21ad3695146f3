/**
 * How an image becomes a model input tensor. The original MosAIc (Keras ResNet50) used
 * squash 225x225, BGR, caffe means, no scaling.
 */
export interface PreprocessSpec {
  /** Model input height and width in pixels. */
  height: number;
  width: number;
  /** squash: resize ignoring aspect (the original). crop: shorter side to size, then center crop. */
  resize: "squash" | "crop";
  channelOrder: "rgb" | "bgr";
  /** Per-channel (in channelOrder) value = (pixel - mean) / std, pixel in 0..255. */
  mean: [number, number, number];
  std: [number, number, number];
  /** Tensor layout the model expects. TF.js/Keras models are NHWC. */
  layout: "nhwc" | "nchw";
}

/**
 * Model input for a batch of images: normalized floats laid out as the spec says, or — for a model that
 * normalizes inside its graph — the resampled pixels as bytes, NHWC, in the spec's channel order.
 */
export type PixelBatch = Float32Array | Uint8Array;

/** Which of the two a consumer takes. */
export type PixelFormat = "float32" | "uint8";
