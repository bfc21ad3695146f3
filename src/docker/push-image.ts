import { MosaicError, UsageError } from "../errors.js";
import type { DockerDeps } from "./docker-deps.js";
import { checkImageRef } from "./image-ref.js";

export interface PushImageOptions {
  /** The local image, e.g. mosaic:latest. */
  image: string;
  /**
   * Where to: a registry (`myreg.azurecr.io`, `localhost:5000`, optionally with a path
   * `myreg.azurecr.io/team`), which keeps the image's name and tag; or a full reference with a tag
   * (`myreg.azurecr.io/mosaic:1.0`).
   */
  registry: string;
}

export interface PushedImage {
  source: string;
  target: string;
  digest: string | undefined;
}

/** `<registry>`, `{registry}`, `$REGISTRY`-style text a README or config template left unfilled. */
const PLACEHOLDER = /<[^>]*>|\{[^}]*\}|\.\.\./;

/** The reference `registry` names for `image` (see PushImageOptions.registry). */
export function pushTarget(image: string, registry: string): string {
  const value = registry.trim().replace(/\/+$/, "");
  if (PLACEHOLDER.test(value)) {
    throw new UsageError(`"${registry}" is a placeholder, not a registry`, {
      hint: "Put your registry's name in, e.g. mosaic docker push myregistry.azurecr.io",
    });
  }
  const slash = value.lastIndexOf("/");
  const host = value.split("/")[0] ?? value;
  // A bare word would be a Docker Hub user, not a registry: say what was probably meant.
  if (!/[.:]/.test(host) && host !== "localhost") {
    throw new UsageError(`"${host}" is not a registry host`, {
      hint: `An Azure Container Registry is <name>.azurecr.io (e.g. ${host}.azurecr.io); a local one localhost:5000.`,
    });
  }
  const fullRef = slash > 0 && value.slice(slash + 1).includes(":");
  if (fullRef) return checkImageRef(value, "<registry>");
  const withoutDigest = image.split("@")[0] ?? image;
  const nameAndTag = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
  const tagged = nameAndTag.includes(":") ? nameAndTag : `${nameAndTag}:latest`;
  return checkImageRef(`${value}/${tagged}`, "<registry>");
}

/**
 * `mosaic docker push <registry>`: tags the local image for the registry and pushes it through the docker
 * CLI (whose login, `docker login` or `az acr login`, it uses), printing docker's progress.
 */
export async function pushImage(deps: DockerDeps, options: PushImageOptions): Promise<PushedImage> {
  const source = checkImageRef(options.image, "--tag");
  const target = pushTarget(source, options.registry);
  if (!(await deps.runtime.inspectImage(source, deps.signal))) {
    throw new MosaicError(`No image ${source}`, {
      hint: `Build it first: mosaic docker build --tag ${source}`,
    });
  }
  if (target !== source) await deps.runtime.tag(source, target, deps.signal);
  const { digest } = await deps.step(`Pushing ${target}`, () =>
    deps.runtime.push(target, (line) => deps.log(line), deps.signal),
  );
  return { source, target, digest };
}
