import { describe, expect, it } from 'vitest';
import { createRegistry } from './registry';

describe('the metrics registry', () => {
  it('renders counters, histograms and gauges in the text exposition format, labels escaped', () => {
    const registry = createRegistry();
    const requests = registry.counter('requests_total', 'Requests.');
    requests.inc({ endpoint: 'a', model: 'say "hi"\\n' }, 2);
    requests.series({ endpoint: 'b', model: 'm' }).inc();
    registry.counter('plain_total', 'No labels.').inc();
    const latency = registry.histogram('latency_seconds', 'Latency.', [0.1, 1]);
    latency.observe({ endpoint: 'a' }, 0.05);
    latency.series({ endpoint: 'a' }).observe(0.5);
    registry.histogram('bare_seconds', 'No labels.', [1]).observe({}, 2);
    registry.gauge('up', 'Up.', () => [{ labels: { endpoint: 'a' }, value: 1 }, { labels: {} as Record<string, string>, value: 0 }]);
    expect(registry.render()).toBe(
      [
        '# HELP requests_total Requests.', '# TYPE requests_total counter',
        'requests_total{endpoint="a",model="say \\"hi\\"\\\\n"} 2', 'requests_total{endpoint="b",model="m"} 1',
        '# HELP plain_total No labels.', '# TYPE plain_total counter', 'plain_total 1',
        '# HELP latency_seconds Latency.', '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{endpoint="a",le="0.1"} 1', 'latency_seconds_bucket{endpoint="a",le="1"} 2', 'latency_seconds_bucket{endpoint="a",le="+Inf"} 2',
        'latency_seconds_sum{endpoint="a"} 0.55', 'latency_seconds_count{endpoint="a"} 2',
        '# HELP bare_seconds No labels.', '# TYPE bare_seconds histogram',
        'bare_seconds_bucket{le="1"} 0', 'bare_seconds_bucket{le="+Inf"} 1', 'bare_seconds_sum 2', 'bare_seconds_count 1',
        '# HELP up Up.', '# TYPE up gauge', 'up{endpoint="a"} 1', 'up 0',
        '',
      ].join('\n'),
    );
  });

  it('leaves out a gauge it cannot read, and renders the rest', () => {
    const registry = createRegistry();
    registry.gauge('broken', 'Cannot be read now.', () => {
      throw new Error('EMFILE');
    });
    registry.counter('fine_total', 'Fine.').inc();
    expect(registry.render()).toBe('# HELP broken Cannot be read now.\n# TYPE broken gauge\n# HELP fine_total Fine.\n# TYPE fine_total counter\nfine_total 1\n');
  });
});
