import { metaField } from "../query/format-results.js";
import type { QueryResult } from "../query/query.js";
import type { EvalExampleRow } from "../search/eval-examples.js";
import type { IndexRecord } from "../vector-index/types.js";
import type { PreparedImage } from "./report-images.js";
import type { EvalLabelRow, EvalReport, QueryReport, ReportArtwork } from "./report-model.js";

/** Image keys shared by the builders and the code that prepares the pictures. */
export const imageKey = {
  artwork: (id: string) => `artwork:${id}`,
  query: "query",
};

function withImage(prepared: PreparedImage | undefined): Pick<ReportArtwork, "image" | "imageNote"> {
  if (!prepared) return {};
  return "image" in prepared ? { image: prepared.image } : { imageNote: prepared.note };
}

/** An index record as display text: title, artist and facets in the index's facet order. */
export function toReportArtwork(
  record: IndexRecord,
  facets: readonly string[],
  images: ReadonlyMap<string, PreparedImage>,
): ReportArtwork {
  const order = [...facets, ...Object.keys(record.facets).filter((f) => !facets.includes(f))];
  return {
    id: record.id,
    title: metaField(record, "title"),
    artist: metaField(record, "artist"),
    facets: order.flatMap((f): [string, string][] => {
      const value = Object.hasOwn(record.facets, f) ? record.facets[f] : undefined;
      return value ? [[f, value]] : [];
    }),
    ...withImage(images.get(imageKey.artwork(record.id))),
  };
}

export interface QueryReportInput {
  result: QueryResult;
  facets: readonly string[];
  /** The indexed artwork searched for (more like this), or the image's name as the user gave it. */
  query: { record: IndexRecord } | { imageName: string };
  filter: Record<string, string[]>;
  images: ReadonlyMap<string, PreparedImage>;
  footer?: string | undefined;
}

/** {@link QueryReport} from a query's result. */
export function buildQueryReport(input: QueryReportInput): QueryReport {
  const { result, facets, images } = input;
  return {
    query:
      "record" in input.query
        ? { kind: "artwork", artwork: toReportArtwork(input.query.record, facets, images) }
        : { kind: "image", name: input.query.imageName, ...withImage(images.get(imageKey.query)) },
    filter: input.filter,
    matches: result.matches,
    hits: result.hits.map((hit) => ({
      ...toReportArtwork(hit.record, facets, images),
      rank: hit.rank,
      score: hit.score,
    })),
    footer: input.footer,
  };
}

/** The parts of an eval result the report reads (EvalResult has them; extra fields are ignored). */
export interface EvalSummary {
  label: string;
  k: number;
  precision: number;
  randomBaseline: number;
  evaluated: number;
  skipped: number;
  perLabel: { value: string; count: number; precision: number; randomBaseline: number }[];
}

/** {@link EvalReport} from an eval result and its example rows. */
export function buildEvalReport(input: {
  result: EvalSummary;
  examples: readonly EvalExampleRow[];
  records: readonly IndexRecord[];
  facets: readonly string[];
  images: ReadonlyMap<string, PreparedImage>;
  footer?: string | undefined;
}): EvalReport {
  const { result, records, facets, images } = input;
  const artwork = (ordinal: number) => toReportArtwork(records[ordinal]!, facets, images);
  const perLabel: EvalLabelRow[] = result.perLabel.map((row) => ({
    value: row.value,
    count: row.count,
    precision: row.precision,
    baseline: row.randomBaseline,
  }));
  return {
    label: result.label,
    k: result.k,
    precision: result.precision,
    randomBaseline: result.randomBaseline,
    evaluated: result.evaluated,
    skipped: result.skipped,
    perLabel,
    examples: input.examples.map((row) => ({
      query: { ...artwork(row.ordinal), label: row.label },
      neighbours: row.neighbours.map((n) => ({
        ...artwork(n.ordinal),
        label: n.label,
        score: n.score,
        correct: n.correct,
      })),
    })),
    footer: input.footer,
  };
}
