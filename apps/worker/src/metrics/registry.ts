/** Label values of one series, in declaration order of the metric's label names. */
type Labels = Readonly<Record<string, string>>;

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels, extra = '') => {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escape(value)}"`);
  if (extra) parts.push(extra);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
};
// Called on every observation: concatenating the values is far cheaper than JSON, and label names are fixed per
// call site, so the values alone identify a series.
const keyOf = (labels: Labels) => {
  let key = '';
  for (const name in labels) key += `${labels[name]}\u0001`;
  return key;
};

interface Metric {
  render(): string;
}

/** A monotonically increasing sum per label set. */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

/** A distribution of observations in fixed buckets, per label set. */
export interface Histogram {
  observe(labels: Labels, value: number): void;
}

/**
 * A minimal Prometheus registry that renders the text exposition format (0.0.4). Written by hand because the
 * gateway also runs on Workers, where Node-only clients do not load; it needs only counters, histograms and gauges
 * read at scrape time.
 */
export const createRegistry = () => {
  const metrics: Metric[] = [];
  const header = (name: string, help: string, type: string) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;

  return {
    counter(name: string, help: string): Counter {
      const series = new Map<string, { labels: Labels; value: number }>();
      metrics.push({
        render: () => header(name, help, 'counter') + [...series.values()].map(({ labels, value }) => `${name}${labelText(labels)} ${value}\n`).join(''),
      });
      return {
        inc(labels = {}, by = 1) {
          const key = keyOf(labels);
          const entry = series.get(key);
          if (entry) entry.value += by;
          else series.set(key, { labels, value: by });
        },
      };
    },

    histogram(name: string, help: string, buckets: readonly number[]): Histogram {
      const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
      metrics.push({
        render: () =>
          header(name, help, 'histogram') +
          [...series.values()]
            .map(({ labels, counts, sum, count }) =>
              buckets.map((bound, index) => `${name}_bucket${labelText(labels, `le="${bound}"`)} ${counts[index]}\n`).join('') +
              `${name}_bucket${labelText(labels, 'le="+Inf"')} ${count}\n${name}_sum${labelText(labels)} ${sum}\n${name}_count${labelText(labels)} ${count}\n`,
            )
            .join(''),
      });
      return {
        observe(labels, value) {
          const key = keyOf(labels);
          let entry = series.get(key);
          if (!entry) series.set(key, (entry = { labels, counts: buckets.map(() => 0), sum: 0, count: 0 }));
          // Cumulative buckets: an observation counts in every bucket at or above it.
          for (let index = 0; index < buckets.length; index += 1) if (value <= buckets[index]!) entry.counts[index]! += 1;
          entry.sum += value;
          entry.count += 1;
        },
      };
    },

    /**
     * A gauge computed when scraped (breaker state, cooldown left). A label set read twice is rendered once, with the
     * larger value: a duplicate series makes the whole exposition invalid.
     */
    gauge(name: string, help: string, read: () => readonly { labels: Labels; value: number }[]): void {
      metrics.push({
        render: () => {
          const series = new Map<string, { labels: Labels; value: number }>();
          for (const entry of read()) {
            const key = keyOf(entry.labels);
            const seen = series.get(key);
            if (!seen || entry.value > seen.value) series.set(key, entry);
          }
          return header(name, help, 'gauge') + [...series.values()].map(({ labels, value }) => `${name}${labelText(labels)} ${value}\n`).join('');
        },
      });
    },

    render: (): string => metrics.map((metric) => metric.render()).join(''),
  };
};

/** The registry's type. */
export type Registry = ReturnType<typeof createRegistry>;
