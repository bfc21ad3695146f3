import { describe, expect, it } from "vitest";
import { renderDockerfile } from "../../src/docker/render-dockerfile.js";
import { renderTemplate } from "../../src/docker/render-template.js";
import { MosaicError } from "../../src/errors.js";

describe("renderTemplate", () => {
  it("fills every placeholder, spaces inside braces allowed", () => {
    expect(renderTemplate("FROM {{base}}\nEXPOSE {{ port }}", { base: "node:20", port: 8890 })).toBe(
      "FROM node:20\nEXPOSE 8890",
    );
  });

  it("rejects a placeholder without a value and a value without a placeholder", () => {
    expect(() => renderTemplate("{{a}} {{b}}", { a: "x" })).toThrow(/\{\{b\}\} has no value/);
    expect(() => renderTemplate("{{a}}", { a: "x", extra: "y" })).toThrow(MosaicError);
  });

  it("does not take values from Object.prototype", () => {
    expect(() => renderTemplate("{{toString}}", {})).toThrow(/has no value/);
  });
});

describe("renderDockerfile", () => {
  for (const gpu of [false, true]) {
    it(`${gpu ? "GPU" : "CPU"}: multi-stage, non-root, healthcheck through node on /readyz, serve on 8890`, async () => {
      const text = await renderDockerfile({
        gpu,
        baseImage: "node:20-bookworm-slim",
        mosaicVersion: "1.2.3",
      });
      expect(text).not.toMatch(/\{\{/);
      expect(text).toContain("ARG BASE_IMAGE=node:20-bookworm-slim");
      expect(text).toMatch(/FROM \$\{BASE_IMAGE\} AS app/);
      expect(text.match(/^FROM /gm)).toHaveLength(2);
      expect(text).toContain("USER 10001:10001");
      expect(text).toMatch(/HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:/);
      expect(text).toContain("/readyz");
      const instructions = text.split("\n").filter((line) => !line.startsWith("#"));
      expect(instructions.join("\n")).not.toMatch(/\bcurl\b|\bwget\b/);
      expect(text).toContain('CMD ["serve", "--host", "0.0.0.0", "--port", "8890"]');
      expect(text).toContain("MOSAIC_INDEX=/index");
      expect(text).toContain("MOSAIC_CACHE_DIR=/home/mosaic/.cache/mosaic");
      expect(text).toContain("mosaic 1.2.3");
      expect(text.includes("libvulkan1")).toBe(gpu);
    });
  }

  it("puts the chosen base image in the ARG default", async () => {
    const text = await renderDockerfile({
      gpu: false,
      baseImage: "mosaic-test-base:bookworm",
      mosaicVersion: "0",
    });
    expect(text).toContain("ARG BASE_IMAGE=mosaic-test-base:bookworm");
  });
});
