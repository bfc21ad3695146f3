import { readFile } from "node:fs/promises";
import path from "node:path";
import { CONTAINER_PORT, CONTAINER_UID } from "./labels.js";
import { renderTemplate } from "./render-template.js";
import { templatesDir } from "./templates-dir.js";

export interface DockerfileOptions {
  gpu: boolean;
  /** Default for `ARG BASE_IMAGE`; `--build-arg BASE_IMAGE=...` still overrides it. */
  baseImage: string;
  mosaicVersion: string;
}

/** templates/Dockerfile (or Dockerfile.gpu) with mosaic's values filled in. */
export async function renderDockerfile(options: DockerfileOptions, dir = templatesDir()): Promise<string> {
  const template = await readFile(path.join(dir, options.gpu ? "Dockerfile.gpu" : "Dockerfile"), "utf8");
  return renderTemplate(template, {
    baseImage: options.baseImage,
    mosaicVersion: options.mosaicVersion,
    port: CONTAINER_PORT,
    uid: CONTAINER_UID,
  });
}
