/** Prometheus text exposition for /metrics: request counts and latencies, plus gauges read at scrape time. */

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface Counters {
  /** Adds one to the counter `name` with these labels. */
  count(name: string, help: string, labels: Record<string, string>): void;
}

export function createMetrics() {
  const requests = new Map<string, number>();
  const counters = new Map<string, { help: string; values: Map<string, number> }>();
  const durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  const label = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return {
    count(name: string, help: string, labels: Record<string, string>): void {
      const counter = counters.get(name) ?? { help, values: new Map<string, number>() };
      counters.set(name, counter);
      const key = Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`).join(',');
      counter.values.set(key, (counter.values.get(key) ?? 0) + 1);
    },
    observe(method: string, route: string, status: number, seconds: number): void {
      const key = `method="${label(method)}",route="${label(route)}",status="${status}"`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      const dkey = `method="${label(method)}",route="${label(route)}"`;
      const d = durations.get(dkey) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      BUCKETS.forEach((bound, i) => {
        if (seconds <= bound) d.buckets[i]!++;
      });
      d.sum += seconds;
      d.count++;
      durations.set(dkey, d);
    },
    /** `gauges`: values read at scrape time; samples of one name share its HELP and TYPE (`type`, default gauge). */
    render(gauges: Array<{ name: string; help: string; value: number | null; labels?: Record<string, string>; type?: 'gauge' | 'counter' }>): string {
      const lines: string[] = [
        '# HELP meridian_http_requests_total HTTP requests by method, route and status.',
        '# TYPE meridian_http_requests_total counter',
        ...[...requests].map(([k, v]) => `meridian_http_requests_total{${k}} ${v}`),
        '# HELP meridian_http_request_duration_seconds HTTP request latency.',
        '# TYPE meridian_http_request_duration_seconds histogram',
      ];
      for (const [k, d] of durations) {
        BUCKETS.forEach((bound, i) => lines.push(`meridian_http_request_duration_seconds_bucket{${k},le="${bound}"} ${d.buckets[i]}`));
        lines.push(`meridian_http_request_duration_seconds_bucket{${k},le="+Inf"} ${d.count}`);
        lines.push(`meridian_http_request_duration_seconds_sum{${k}} ${d.sum}`);
        lines.push(`meridian_http_request_duration_seconds_count{${k}} ${d.count}`);
      }
      for (const [name, counter] of counters) {
        lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`, ...[...counter.values].map(([k, v]) => `${name}{${k}} ${v}`));
      }
      const described = new Set<string>();
      for (const gauge of gauges) {
        if (gauge.value === null) continue;
        const labels = gauge.labels ? `{${Object.entries(gauge.labels).map(([k, v]) => `${k}="${label(v)}"`).join(',')}}` : '';
        if (!described.has(gauge.name)) lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} ${gauge.type ?? 'gauge'}`);
        described.add(gauge.name);
        lines.push(`${gauge.name}${labels} ${gauge.value}`);
      }
      return lines.join('\n') + '\n';
    },
  };
}
