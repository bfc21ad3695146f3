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
    // An AVIF may carry a generic major brand (mif1) and name avif among its compatible brands.
    const boxEnd = Math.min(buf.length, new DataView(buf.buffer, buf.byteOffset).getUint32(0));
    const brands = [ascii(buf, 8, 12)];
    for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(buf, at, at + 4));
    if (brands.some((b) => AVIF_BRANDS.has(b))) return "avif";
    if (HEIF_BRANDS.has(brands[0]!)) return "heif";
  }
  if (buf.length >= 14 && buf[0] === 0x42 && buf[1] === 0x4d) return "bmp";
  return null;
}

/**
 * What sharp's bundled libvips decodes. HEIF with HEVC (HEIC photos) and BMP are recognised but have no
 * decoder there, so they get their own failure reason instead of a confusing decode error.
 */
export const DECODABLE_TYPES: ReadonlySet<ImageType> = new Set([
  "jpeg",
  "png",
  "gif",
  "webp",
  "tiff",
  "avif",
]);

const NAMES: Record<ImageType, string> = {
  jpeg: "JPEG",
  png: "PNG",
  gif: "GIF",
  webp: "WebP",
  tiff: "TIFF",
  avif: "AVIF",
  heif: "HEIC/HEIF",
  bmp: "BMP",
};

/** "JPEG, PNG, GIF, WebP, TIFF or AVIF", for messages. */
export const DECODABLE_NAMES = [...DECODABLE_TYPES]
  .map((t) => NAMES[t])
  .join(", ")
  .replace(/, (\w+)$/, " or $1");

/** The message for a recognised image that cannot be decoded, or undefined when it can be. */
export function unsupportedFormatMessage(type: ImageType): string | undefined {
  if (DECODABLE_TYPES.has(type)) return undefined;
  return `a ${NAMES[type]} image, which mosaic cannot decode (it reads ${DECODABLE_NAMES}); convert it first`;
}
