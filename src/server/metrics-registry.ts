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
}
export interface Histogram {
  observe(value: number, labels?: Labels): void;
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
    const series = new Map<string, number>();
    this.metrics.push({
      render: () => [...head, ...[...series].map(([labels, v]) => `${name}${labels} ${formatNumber(v)}`)],
    });
    return {
      inc(labels = {}, by = 1) {
        const key = labelText(labels);
        series.set(key, (series.get(key) ?? 0) + by);
      },
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
    };
  }

  /** The exposition text served at /metrics. */
  render(): string {
    return `${this.metrics.flatMap((m) => m.render()).join("\n")}\n`;
  }
}
