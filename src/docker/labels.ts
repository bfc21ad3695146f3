/** Labels mosaic puts on what it creates, so it can find, reuse and clean up its own images and containers. */
export const LABELS = {
  /** On every image and container mosaic creates. */
  managed: "mosaic.managed",
  /** sha256 (hex, 32 chars) over every file of the build context: same inputs, same hash, no rebuild. */
  contextHash: "mosaic.context-hash",
  /** The host port a container was published on, so a replacement can take the same one. */
  port: "mosaic.port",
  /** "gpu" or "cpu". */
  variant: "mosaic.variant",
} as const;

/** Port `mosaic serve` listens on inside the image. */
export const CONTAINER_PORT = 8890;

/** Numeric, so Kubernetes' runAsNonRoot can verify it, and needs no /etc/passwd entry in the base image. */
export const CONTAINER_UID = 10001;

export const DEFAULT_TAG = "mosaic:latest";
export const DEFAULT_GPU_TAG = "mosaic:latest-gpu";
export const DEFAULT_BASE_IMAGE = "node:20-bookworm-slim";
