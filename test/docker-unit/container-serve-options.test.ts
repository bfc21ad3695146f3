import { describe, expect, it } from "vitest";
import { containerServeOptions } from "../../src/docker/container-serve-options.js";
import { UsageError } from "../../src/errors.js";

describe("containerServeOptions (docker run / deploy local → the container's serve)", () => {
  it.each([
    [{}, {}, { env: {}, inheritEnv: [], serveArgs: [] }],
    [
      { allowHost: ["images.corp", "*.museum.example"], allowCidr: ["10.0.0.0/8"] },
      {},
      {
        env: {},
        inheritEnv: [],
        serveArgs: [
          "--allow-host",
          "images.corp",
          "--allow-host",
          "*.museum.example",
          "--allow-cidr",
          "10.0.0.0/8",
        ],
      },
    ],
    [
      { maxResults: 50, engine: "exact", env: ["MOSAIC_THREADS=2", "TOKEN"] },
      { TOKEN: "t" },
      {
        env: { MOSAIC_THREADS: "2" },
        inheritEnv: ["TOKEN"],
        serveArgs: ["--max-results", "50", "--engine", "exact"],
      },
    ],
    // The key is passed by name from this shell: its value never lands on the docker argv.
    [{}, { MOSAIC_API_KEY: "s3cret" }, { env: {}, inheritEnv: ["MOSAIC_API_KEY"], serveArgs: [] }],
    // An explicit value wins and is not inherited as well.
    [
      { env: ["MOSAIC_API_KEY=other"] },
      { MOSAIC_API_KEY: "s3cret" },
      { env: { MOSAIC_API_KEY: "other" }, inheritEnv: [], serveArgs: [] },
    ],
  ])("%j with env %j", (flags, hostEnv, expected) => {
    expect(containerServeOptions(flags, hostEnv)).toMatchObject(expected);
  });

  it("says when the API key is taken from this environment", () => {
    expect(containerServeOptions({}, { MOSAIC_API_KEY: "k" }).notes.join()).toContain("x-api-key");
  });

  it("rejects a bad name and a name that is not set", () => {
    expect(() => containerServeOptions({ env: ["1BAD=x"] }, {})).toThrow(UsageError);
    expect(() => containerServeOptions({ env: ["NOT_SET"] }, {})).toThrow(/NOT_SET is not set/);
  });
});
