import path from "node:path";
import type { ReportImage } from "./report-model.js";

export type ReportImageMode = "embed" | "link";

/** One picture the report needs: where to read it, and a local file to link to when there is one. */
export interface ReportImageSource {
  key: string;
  /** An absolute local path the page may link to by relative path (link mode). */
  localPath?: string | undefined;
  load(): Promise<Buffer>;
}

export interface ReportImagePorts {
  /** A small JPEG of the image (sharp's makeThumbnail in production). */
  thumbnail(source: Buffer, size: number): Promise<Buffer>;
  /** Writes a thumbnail next to the page, for link mode when an image has no local file. */
  writeFile(file: string, data: Buffer): Promise<void>;
}

export interface ReportImageOptions {
  mode: ReportImageMode;
  /** Where the HTML file will be written: links are relative to its folder. */
  htmlFile: string;
  /** Longest side of embedded or written thumbnails. */
  size: number;
  /** Images read at once. */
  parallel?: number;
}

export type PreparedImage = { image: ReportImage } | { note: string };

/** A relative URL from the page's folder to `file`, each segment percent-encoded (#, ?, %, ':' are safe). */
export function relativeImageUrl(htmlFile: string, file: string): string {
  const rel = path.relative(path.dirname(path.resolve(htmlFile)), path.resolve(file));
  return rel.split(path.sep).map(encodeURIComponent).join("/");
}

/** `report.html` → `report_files/`: the folder link mode writes thumbnails of remote images into. */
export function assetsDirFor(htmlFile: string): string {
  const parsed = path.parse(path.resolve(htmlFile));
  return path.join(parsed.dir, `${parsed.name}_files`);
}

/**
 * Turns every source into something the page can show with no network: embed mode makes a small JPEG
 * and inlines it as a data: URI; link mode links local files by relative path and writes thumbnails of
 * the others (http, Blob) beside the page. A picture that cannot be read becomes a note, not a failure.
 */
export async function prepareReportImages(
  sources: readonly ReportImageSource[],
  options: ReportImageOptions,
  ports: ReportImagePorts,
): Promise<Map<string, PreparedImage>> {
  const out = new Map<string, PreparedImage>();
  const assets = assetsDirFor(options.htmlFile);
  const written = new Map<string, number>();
  const fileFor = (key: string): string => {
    // Ids become file names: keep them readable but harmless, and unique even when two sanitize alike.
    const base =
      key
        .replace(/[^A-Za-z0-9._-]+/g, "_")
        .replace(/^\.+/, "_")
        .slice(0, 80) || "image";
    const n = written.get(base) ?? 0;
    written.set(base, n + 1);
    return path.join(assets, `${n === 0 ? base : `${base}-${n}`}.jpg`);
  };
  const prepare = async (source: ReportImageSource): Promise<PreparedImage> => {
    if (options.mode === "link" && source.localPath !== undefined) {
      return { image: { src: relativeImageUrl(options.htmlFile, source.localPath) } };
    }
    let small: Buffer;
    try {
      small = await ports.thumbnail(await source.load(), options.size);
    } catch (error) {
      return { note: `image unavailable: ${(error as Error).message ?? String(error)}` };
    }
    if (options.mode === "embed")
      return { image: { src: `data:image/jpeg;base64,${small.toString("base64")}` } };
    const file = fileFor(source.key);
    await ports.writeFile(file, small);
    return { image: { src: relativeImageUrl(options.htmlFile, file) } };
  };

  const unique = [...new Map(sources.map((s) => [s.key, s])).values()];
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const source = unique[next++]!;
      out.set(source.key, await prepare(source));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 6) }, worker));
  return out;
}
