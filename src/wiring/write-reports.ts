import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createBlobImageReader } from "../blob/blob-image-reader.js";
import { createImageFetcher } from "../images/image-fetcher.js";
import { makeThumbnail } from "../images/make-thumbnail.js";
import type { QueryResult } from "../query/query.js";
import { buildEvalReport, buildQueryReport, type EvalSummary, imageKey } from "../report/build-reports.js";
import { renderEvalReport } from "../report/eval-report.js";
import { renderQueryReport } from "../report/query-report.js";
import {
  prepareReportImages,
  type ReportImageMode,
  type ReportImageSource,
} from "../report/report-images.js";
import { evalExamples } from "../search/eval-examples.js";
import { imageDirOf } from "../vector-index/stored-image.js";
import type { Filter, IndexRecord, VectorIndex } from "../vector-index/types.js";
import { blobAccessFor } from "./blob-index-location.js";
import type { Context } from "./context.js";

export interface HtmlReportOptions {
  /** The HTML file to write (relative to the working directory). */
  file: string;
  /** embed: small JPEG thumbnails as data: URIs (one file); link: relative paths (small file, keep the images). */
  images: ReportImageMode;
}

/** Longest side of the thumbnails a report embeds or writes: sharp enough for a 190 px card on a 2× screen. */
const THUMB_SIZE = 320;
const isUrl = (ref: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(ref);

/** Reads catalog images (paths, http(s), Blob) with the fetch rules of featurize: caps, timeouts, SSRF guard. */
async function withImageReader<T>(
  ctx: Context,
  work: (read: (ref: string) => Promise<Buffer>) => Promise<T>,
): Promise<T> {
  const { fetch: f } = ctx.config;
  const fetcher = createImageFetcher(
    { timeoutMs: f.timeoutMs, maxBytes: f.maxBytes, attempts: f.retries + 1 },
    { blobReader: createBlobImageReader(blobAccessFor(ctx)) },
  );
  try {
    return await work((ref) => fetcher.fetch(ref, ctx.signal));
  } finally {
    fetcher.close();
  }
}

/**
 * A picture to put in the report. `base` resolves a relative reference: the catalog's directory for index
 * records (they store paths relative to it), the working directory for the image a user queried with.
 */
function sourceFor(
  base: string,
  key: string,
  ref: string,
  read: (ref: string) => Promise<Buffer>,
): ReportImageSource {
  if (isUrl(ref)) return { key, load: () => read(ref) };
  const file = path.resolve(base, ref);
  return { key, localPath: file, load: () => read(file) };
}

async function prepareAndWrite(
  ctx: Context,
  options: HtmlReportOptions,
  sources: (read: (ref: string) => Promise<Buffer>) => ReportImageSource[],
  render: (images: Awaited<ReturnType<typeof prepareReportImages>>) => string,
): Promise<{ file: string; bytes: number }> {
  const file = path.resolve(ctx.cwd, options.file);
  const html = await withImageReader(ctx, async (read) => {
    const images = await prepareReportImages(
      sources(read),
      { mode: options.images, htmlFile: file, size: THUMB_SIZE },
      {
        thumbnail: (buf, size) => makeThumbnail(buf, { size, quality: 75 }),
        writeFile: async (target, data) => {
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, data);
        },
      },
    );
    return render(images);
  });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, html);
  return { file, bytes: Buffer.byteLength(html) };
}

/** `mosaic query --html`: the query and its results as a self-contained page. */
export async function writeQueryReport(
  ctx: Context,
  input: {
    result: QueryResult;
    facets: string[];
    image?: string | undefined;
    filter: Filter;
    /** See runQuery: where relative record images live. */
    imageDir?: string | undefined;
  },
  options: HtmlReportOptions,
): Promise<{ file: string; bytes: number }> {
  const { result } = input;
  const queryImage =
    input.image === undefined
      ? undefined
      : isUrl(input.image)
        ? input.image
        : path.resolve(ctx.cwd, input.image);
  const records: IndexRecord[] = [
    ...(result.query ? [result.query] : []),
    ...result.hits.map((h) => h.record),
  ];
  return prepareAndWrite(
    ctx,
    options,
    (read) => [
      ...(queryImage ? [sourceFor(ctx.cwd, imageKey.query, queryImage, read)] : []),
      ...records.map((r) => sourceFor(input.imageDir ?? ctx.cwd, imageKey.artwork(r.id), r.image, read)),
    ],
    (images) =>
      renderQueryReport(
        buildQueryReport({
          result,
          facets: input.facets,
          query: result.query ? { record: result.query } : { imageName: input.image ?? "" },
          filter: input.filter,
          images,
          footer: `mosaic query · index: ${ctx.config.index} · ${result.hits.length} results`,
        }),
      ),
  );
}

/** Example rows shown under the chart: one per commonest label. */
const EXAMPLE_ROWS = 6;

/** `mosaic eval --html`: per-label precision@k as a bar chart and a few example rows. */
export async function writeEvalReport(
  ctx: Context,
  input: { index: VectorIndex; indexDir: string; result: EvalSummary },
  options: HtmlReportOptions,
): Promise<{ file: string; bytes: number }> {
  const { index, result } = input;
  const imageDir = imageDirOf(input.indexDir, index.manifest) ?? ctx.cwd;
  const examples = evalExamples(index, { label: result.label, k: result.k, rows: EXAMPLE_ROWS });
  const ordinals = new Set(examples.flatMap((e) => [e.ordinal, ...e.neighbours.map((n) => n.ordinal)]));
  return prepareAndWrite(
    ctx,
    options,
    (read) =>
      [...ordinals].map((o) => {
        const r = index.records[o]!;
        return sourceFor(imageDir, imageKey.artwork(r.id), r.image, read);
      }),
    (images) =>
      renderEvalReport(
        buildEvalReport({
          result,
          examples,
          records: index.records,
          facets: index.manifest.facets,
          images,
          footer: `mosaic eval · index: ${path.relative(ctx.cwd, input.indexDir) || "."} · ${index.count} artworks`,
        }),
      ),
  );
}
