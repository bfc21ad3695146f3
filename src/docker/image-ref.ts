import { UsageError } from "../errors.js";

// name[:tag][@digest], with an optional registry host[:port]/ prefix; no spaces or newlines, which
// would otherwise end up in the Dockerfile's ARG line.
const IMAGE_REF = /^[a-z0-9][a-z0-9._\-/:]*(@sha256:[a-f0-9]{64})?$/i;
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Throws a UsageError naming the flag when `value` is not an image reference. */
export function checkImageRef(value: string, flag: string): string {
  if (!IMAGE_REF.test(value) || value.length > 255) {
    throw new UsageError(`${flag} "${value}" is not an image reference`, {
      hint: "Use name[:tag], e.g. mosaic:latest or registry.example.com/team/mosaic:1.0.",
    });
  }
  return value;
}

/** Throws a UsageError naming the flag when `value` is not a valid container name. */
export function checkContainerName(value: string, flag: string): string {
  if (!CONTAINER_NAME.test(value)) {
    throw new UsageError(`${flag} "${value}" is not a container name`, {
      hint: "Letters, digits, '_', '.' and '-', starting with a letter or digit.",
    });
  }
  return value;
}
