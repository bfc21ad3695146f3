/** Image containers recognised by their first bytes. */
export type ImageType = "jpeg" | "png" | "gif" | "webp" | "tiff" | "avif" | "heif" | "bmp";

const ascii = (buf: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...buf.subarray(start, end));

const AVIF_BRANDS = new Set(["avif", "avis"]);
const HEIF_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"]);

/**
 * Identifies an image by magic bytes. Servers mislabel content (an HTML error page sent as image/jpeg),
 * so neither the extension nor Content-Type is trusted. Returns null for anything else (HTML, SVG, JSON).
 */
export function sniffImage(buf: Uint8Array): ImageType | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return "jpeg";
  if (buf.length >= 8 && ascii(buf, 0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (buf.length >= 6 && (ascii(buf, 0, 6) === "GIF87a" || ascii(buf, 0, 6) === "GIF89a")) return "gif";
  if (buf.length >= 12 && ascii(buf, 0, 4) === "RIFF" && ascii(buf, 8, 12) === "WEBP") return "webp";
  if (buf.length >= 4 && (ascii(buf, 0, 4) === "II*\0" || ascii(buf, 0, 4) === "MM\0*")) return "tiff";
  if (buf.length >= 12 && ascii(buf, 4, 8) === "ftyp") {
    const brand = ascii(buf, 8, 12);
    if (AVIF_BRANDS.has(brand)) return "avif";
    if (HEIF_BRANDS.has(brand)) return "heif";
  }
  if (buf.length >= 14 && buf[0] === 0x42 && buf[1] === 0x4d) return "bmp";
  return null;
}
