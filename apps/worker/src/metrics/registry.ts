/** Label values of one series, in declaration order of the metric's label names. */
type Labels = Readonly<Record<string, string>>;

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
/** A series' labels as the exposition writes them inside braces (`a="1",b="2"`), made once when the series is. */
const labelList = (labels: Labels) =>
  Object.entries(labels)
    .map(([name, value]) => `${name}="${escape(value)}"`)
    .join(',');
const braced = (list: string) => (list === '' ? '' : `{${list}}`);
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

/** One label set of a counter, bound once: incrementing it looks nothing up. */
export interface CounterSeries {
  inc(by?: number): void;
}

/** A monotonically increasing sum per label set. */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
  /** The series of one label set, to keep and increment on the hot path without building a key each time. */
  series(labels: Labels): CounterSeries;
}

/** One label set of a histogram, bound once. */
export interface HistogramSeries {
  observe(value: number): void;
}

/** A distribution of observations in fixed buckets, per label set. */
export interface Histogram {
  observe(labels: Labels, value: number): void;
  /** The series of one label set, to keep and observe on the hot path without building a key each time. */
  series(labels: Labels): HistogramSeries;
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
      const series = new Map<string, { text: string; value: number; inc(by?: number): void }>();
      metrics.push({
        render: () => header(name, help, 'counter') + [...series.values()].map(({ text, value }) => `${text} ${value}\n`).join(''),
      });
      const seriesOf = (labels: Labels) => {
        const key = keyOf(labels);
        let entry = series.get(key);
        if (!entry) {
          // Its name and labels as written, made once: a scrape of 70,000 series rebuilt them all each time.
          const created = { text: name + braced(labelList(labels)), value: 0, inc: (by = 1) => void (created.value += by) };
          series.set(key, (entry = created));
        }
        return entry;
      };
      return {
        inc: (labels = {}, by = 1) => seriesOf(labels).inc(by),
        series: seriesOf,
      };
    },

    histogram(name: string, help: string, buckets: readonly number[]): Histogram {
      // `bucket`: the series' bucket line up to its `le` (`name_bucket{a="1",`); `labels`: its braced labels.
      type Entry = { bucket: string; labels: string; counts: number[]; sum: number; count: number; observe(value: number): void };
      const series = new Map<string, Entry>();
      metrics.push({
        render: () =>
          header(name, help, 'histogram') +
          [...series.values()]
            .map(({ bucket, labels, counts, sum, count }) =>
              buckets.map((bound, index) => `${bucket}le="${bound}"} ${counts[index]}\n`).join('') +
              `${bucket}le="+Inf"} ${count}\n${name}_sum${labels} ${sum}\n${name}_count${labels} ${count}\n`,
            )
            .join(''),
      });
      const seriesOf = (labels: Labels): Entry => {
        const key = keyOf(labels);
        let entry = series.get(key);
        if (!entry) {
          const list = labelList(labels);
          const created: Entry = {
            bucket: `${name}_bucket{${list === '' ? '' : `${list},`}`, labels: braced(list), counts: buckets.map(() => 0), sum: 0, count: 0,
            observe(value) {
              // Cumulative buckets: an observation counts in every bucket at or above it.
              for (let index = 0; index < buckets.length; index += 1) if (value <= buckets[index]!) created.counts[index]! += 1;
              created.sum += value;
              created.count += 1;
            },
          };
          series.set(key, (entry = created));
        }
        return entry;
      };
      return {
        observe: (labels, value) => seriesOf(labels).observe(value),
        series: seriesOf,
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
          for (const entry of readOrNothing(read)) {
            const key = keyOf(entry.labels);
            const seen = series.get(key);
            if (!seen || entry.value > seen.value) series.set(key, entry);
          }
          return header(name, help, 'gauge') + [...series.values()].map(({ labels, value }) => `${name}${braced(labelList(labels))} ${value}\n`).join('');
        },
      });
    },

    render: (): string => metrics.map((metric) => metric.render()).join(''),
  };
};

/**
 * A gauge's series, or none when reading it fails: one figure the process cannot read now (its resident memory needs
 * a file descriptor, and none is left when the table is full) must not fail the whole scrape with a 500.
 */
const readOrNothing = (read: () => readonly { labels: Labels; value: number }[]): readonly { labels: Labels; value: number }[] => {
  try {
    return read();
  } catch {
    return [];
  }
};

/** The registry's type. */
export type Registry = ReturnType<typeof createRegistry>;
