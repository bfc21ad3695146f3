/**
 * A minimal Prometheus text-format (0.0.4) registry: counters, gauges and histograms with labels.
 * Kept in-house because the service needs four metrics and prom-client would be a dependency.
 */
export type Labels = Record<string, string>;

interface Metric {
  render(): string[];
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  /** Every label set with its current value, for in-process views (the serve panel). */
  series(): Array<{ labels: Labels; value: number }>;
}
export interface Histogram {
  observe(value: number, labels?: Labels): void;
  /** Buckets, sum and count added up over the label sets `include` accepts (all by default). */
  totals(include?: (labels: Labels) => boolean): HistogramTotals;
}

/** A histogram's state at one moment; `cumulative[i]` counts observations ≤ `bounds[i]`, as Prometheus does. */
export interface HistogramTotals {
  bounds: readonly number[];
  cumulative: number[];
  sum: number;
  count: number;
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

function labelText(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (extra) pairs.push(extra);
  if (pairs.length === 0) return "";
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
}

const formatNumber = (v: number) => (v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : String(v));

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];
  private readonly names = new Set<string>();

  private header(name: string, help: string, type: string): string[] {
    if (this.names.has(name)) throw new Error(`metric ${name} registered twice`);
    this.names.add(name);
    return [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
  }

  counter(name: string, help: string): Counter {
    const head = this.header(name, help, "counter");
    const series = new Map<string, { labels: Labels; value: number }>();
    this.metrics.push({
      render: () => [
        ...head,
        ...[...series].map(([key, { value }]) => `${name}${key} ${formatNumber(value)}`),
      ],
    });
    return {
      inc(labels = {}, by = 1) {
        const key = labelText(labels);
        const s = series.get(key);
        if (s) s.value += by;
        else series.set(key, { labels: { ...labels }, value: by });
      },
      series: () => [...series.values()].map(({ labels, value }) => ({ labels: { ...labels }, value })),
    };
  }

  /** A gauge read at scrape time, so it is never stale. */
  gauge(name: string, help: string, read: () => number): void {
    const head = this.header(name, help, "gauge");
    this.metrics.push({ render: () => [...head, `${name} ${formatNumber(read())}`] });
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    const head = this.header(name, help, "histogram");
    const bounds = [...buckets].sort((a, b) => a - b);
    const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
    this.metrics.push({
      render: () => {
        const lines = [...head];
        for (const { labels, counts, sum, count } of series.values()) {
          // Prometheus buckets are cumulative: le="x" counts every observation ≤ x.
          for (let i = 0; i < bounds.length; i++) {
            lines.push(`${name}_bucket${labelText(labels, ["le", formatNumber(bounds[i]!)])} ${counts[i]}`);
          }
          lines.push(`${name}_bucket${labelText(labels, ["le", "+Inf"])} ${count}`);
          lines.push(`${name}_sum${labelText(labels)} ${formatNumber(sum)}`);
          lines.push(`${name}_count${labelText(labels)} ${count}`);
        }
        return lines;
      },
    });
    return {
      observe(value, labels = {}) {
        const key = labelText(labels);
        let s = series.get(key);
        if (!s) {
          s = { labels, counts: bounds.map(() => 0), sum: 0, count: 0 };
          series.set(key, s);
        }
        for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) s.counts[i]!++;
        s.sum += value;
        s.count++;
      },
      totals(include = () => true) {
        const totals: HistogramTotals = { bounds, cumulative: bounds.map(() => 0), sum: 0, count: 0 };
        for (const s of series.values()) {
          if (!include(s.labels)) continue;
          s.counts.forEach((n, i) => {
            totals.cumulative[i] = (totals.cumulative[i] ?? 0) + n;
          });
          totals.sum += s.sum;
          totals.count += s.count;
        }
        return totals;
      },
    };
  }

  /** The exposition text served at /metrics. */
  render(): string {
    return `${this.metrics.flatMap((m) => m.render()).join("\n")}\n`;
  }
}
