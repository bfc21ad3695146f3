import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  assetsDirFor,
  prepareReportImages,
  type ReportImageSource,
  relativeImageUrl,
} from "../../src/report/report-images.js";

const html = "/reports/today/report.html";
const fakePorts = () => {
  const written = new Map<string, Buffer>();
  return {
    written,
    ports: {
      thumbnail: async (buf: Buffer, size: number) => Buffer.from(`thumb(${buf.toString()},${size})`),
      writeFile: async (file: string, data: Buffer) => void written.set(file, data),
    },
  };
};
const source = (key: string, localPath?: string, fail = false): ReportImageSource => ({
  key,
  localPath,
  load: async () => {
    if (fail) throw new Error("http_404");
    return Buffer.from(key);
  },
});

describe("prepareReportImages", () => {
  it("embeds thumbnails as data: URIs, local or remote alike", async () => {
    const { ports, written } = fakePorts();
    const out = await prepareReportImages(
      [source("a", "/collection/a.jpg"), source("b"), source("a", "/collection/a.jpg")],
      { mode: "embed", htmlFile: html, size: 64 },
      ports,
    );
    expect(out.get("a")).toEqual({
      image: { src: `data:image/jpeg;base64,${Buffer.from("thumb(a,64)").toString("base64")}` },
    });
    expect(out.get("b")).toEqual({
      image: { src: `data:image/jpeg;base64,${Buffer.from("thumb(b,64)").toString("base64")}` },
    });
    expect(written.size).toBe(0);
  });

  it("links local files by relative path and writes thumbnails of the others beside the page", async () => {
    const { ports, written } = fakePorts();
    const out = await prepareReportImages(
      [
        source("a", "/collection/a b#1.jpg"),
        source("az:x/y"),
        source("az:x?y"),
        source("gone", undefined, true),
      ],
      { mode: "link", htmlFile: html, size: 64 },
      ports,
    );
    expect(out.get("a")).toEqual({ image: { src: "../../collection/a%20b%231.jpg" } });
    // Ids that sanitize alike still get files of their own.
    expect(out.get("az:x/y")).toEqual({ image: { src: "report_files/az_x_y.jpg" } });
    expect(out.get("az:x?y")).toEqual({ image: { src: "report_files/az_x_y-1.jpg" } });
    expect([...written.keys()].sort()).toEqual([
      path.join(assetsDirFor(html), "az_x_y-1.jpg"),
      path.join(assetsDirFor(html), "az_x_y.jpg"),
    ]);
    expect(out.get("gone")).toEqual({ note: "image unavailable: http_404" });
  });

  it("makes relative URLs that cannot be read as a scheme", () => {
    expect(relativeImageUrl(html, "/reports/today/javascript:alert(1).jpg")).toBe(
      "javascript%3Aalert(1).jpg",
    );
    expect(relativeImageUrl(html, "/reports/today/img/x.jpg")).toBe("img/x.jpg");
  });
});
