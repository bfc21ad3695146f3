import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { sniffImage } from "./sniff-image.js";

describe("sniffImage", () => {
  it("recognises the formats sharp writes", async () => {
    const base = sharp({ create: { width: 8, height: 8, channels: 3, background: "#336699" } });
    expect(sniffImage(await base.clone().jpeg().toBuffer())).toBe("jpeg");
    expect(sniffImage(await base.clone().png().toBuffer())).toBe("png");
    expect(sniffImage(await base.clone().gif().toBuffer())).toBe("gif");
    expect(sniffImage(await base.clone().webp().toBuffer())).toBe("webp");
    expect(sniffImage(await base.clone().tiff().toBuffer())).toBe("tiff");
    expect(sniffImage(await base.clone().avif().toBuffer())).toBe("avif");
  });

  it("recognises BMP and HEIF headers", () => {
    expect(sniffImage(Buffer.from("BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00", "latin1"))).toBe(
      "bmp",
    );
    expect(sniffImage(Buffer.from("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "latin1"))).toBe("heif");
  });

  it("rejects HTML, SVG, JSON and empty bodies", () => {
    for (const text of [
      "<!doctype html><html>",
      '<svg xmlns="http://www.w3.org/2000/svg"/>',
      '{"error":1}',
      "",
    ]) {
      expect(sniffImage(Buffer.from(text))).toBeNull();
    }
  });
});
