import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNonPublicAddress } from "../../src/images/address-policy.js";
import { makeTestImages } from "../helpers/http-server.js";
import { assertBuilt, runMosaic } from "../helpers/mosaic-bin.js";
import { makeTempDir } from "../helpers/temp-dir.js";

// Defect J6: featurize fetched image URLs at 169.254.169.254, private ranges and through redirects to
// them, with no guard at all. A remote catalog now gets serve's policy (own host exempt, --allow-host /
// --allow-cidr opt in); a loopback canary on 127.0.0.2 proves that no refused request reached it.

let dir: string;
let cleanup: () => Promise<void>;
let catalogServer: Server;
let canary: Server;
let catalogUrl: string;
let canaryPort: number;
let canaryConnections = 0;

const listen = (server: Server, host: string) =>
  new Promise<number>((resolve) =>
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port)),
  );

beforeAll(async () => {
  assertBuilt();
  ({ dir, cleanup } = await makeTempDir("mosaic-featurize-ssrf-"));
  const { png } = await makeTestImages();
  canary = createServer((_req, res) => res.writeHead(200, { "content-type": "image/png" }).end(png));
  canary.on("connection", () => canaryConnections++);
  canaryPort = await listen(canary, "127.0.0.2");
  const canaryImage = `http://127.0.0.2:${canaryPort}/img.png`;
  const rows = [
    "c1,good.png",
    `c2,${canaryImage}`,
    `c3,http://[::ffff:127.0.0.2]:${canaryPort}/img.png`,
    "c4,http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "c5,/to-canary",
    "c6,/etc/passwd",
    "c7,../../../../etc/passwd",
  ];
  catalogServer = createServer((req, res) => {
    if (req.url === "/cat.csv")
      res.writeHead(200, { "content-type": "text/csv" }).end(`id,image\n${rows.join("\n")}\n`);
    else if (req.url === "/good.png") res.writeHead(200, { "content-type": "image/png" }).end(png);
    else if (req.url === "/to-canary") res.writeHead(302, { location: canaryImage }).end();
    else res.writeHead(404).end("not here");
  });
  catalogUrl = `http://127.0.0.1:${await listen(catalogServer, "127.0.0.1")}/cat.csv`;
});
afterAll(async () => {
  await new Promise((r) => catalogServer.close(r));
  await new Promise((r) => canary.close(r));
  await cleanup();
});

const dryRun = (...extra: string[]) =>
  runMosaic(
    [
      "featurize",
      "--catalog",
      catalogUrl,
      "--dry-run",
      "--json",
      "--id-column",
      "id",
      "--image-column",
      "image",
      "--facet",
      "culture=id",
      "--cache-dir",
      "cache",
      ...extra,
    ],
    dir,
  );

describe("featurize's SSRF guard for remote catalogs", () => {
  it("refuses private, metadata, mapped and redirected targets without connecting; paths stay on the catalog's origin", async () => {
    const run = await dryRun();
    expect(run.stderr).not.toContain("This is a bug");
    const summary = JSON.parse(run.stdout);
    expect(summary.failuresByReason).toEqual({ blocked_address: 4, http_404: 2 });
    expect(summary.indexed ?? summary.ok ?? 1).toBeGreaterThanOrEqual(1);
    expect(canaryConnections).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain("root:x:0:0");
  }, 120_000);

  it("--allow-cidr opens exactly the range it names", async () => {
    const run = await dryRun("--allow-cidr", "127.0.0.2/32", "--cache-dir", "cache2");
    const summary = JSON.parse(run.stdout);
    expect(summary.failuresByReason).toEqual({ blocked_address: 1, http_404: 2 }); // the metadata address
    expect(canaryConnections).toBeGreaterThan(0);
  }, 120_000);
});

describe("addresses are classified by ipaddr.js range(): only unicast is public", () => {
  it.each([
    "192.0.2.10", // documentation (TEST-NET-1)
    "198.51.100.7", // documentation
    "203.0.113.9", // documentation
    "2001:db8::1", // documentation
    "2002:7f00:1::1", // 6to4 embedding 127.0.0.1
    "2002:a9fe:a9fe::1", // 6to4 embedding 169.254.169.254
    "2001:0:4136:e378:8000:63bf:3fff:fdd2", // Teredo
    "64:ff9b::a9fe:a9fe", // NAT64 of 169.254.169.254
    "64:ff9b:1::1", // local-use NAT64
    "fec0::1", // site-local
    "100::1", // discard
    "192.175.48.1", // AS112
    "192.52.193.1", // AMT
    "2001:2::1", // benchmarking
  ])("%s is not public", (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });
});
