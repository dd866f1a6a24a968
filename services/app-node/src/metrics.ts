import { Counter, Histogram, type Registry } from "prom-client";
import { LATENCY_BUCKETS } from "@bookstore/wrk-base";

const LABELS = ["method", "route", "status_code"] as const;

/** The route label of a request no route matched: never the raw path, which has no bound. */
export const UNMATCHED_ROUTE = "unmatched";

interface Series {
  count: { inc(): void };
  seconds: { observe(value: number): void };
}

/** `http_requests_total` and `http_request_duration_seconds`, by method, route pattern and status. */
export class HttpMetrics {
  private readonly requests: Counter<(typeof LABELS)[number]>;
  private readonly duration: Histogram<(typeof LABELS)[number]>;
  // One child per label set, looked up by a flat key: observing costs no label hashing.
  private readonly series = new Map<string, Series>();

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: "http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status code.",
      labelNames: LABELS,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: "http_request_duration_seconds",
      help: "Time to answer an HTTP request, by method, route pattern and status code.",
      labelNames: LABELS,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${route} ${statusCode}`;
    let series = this.series.get(key);
    if (series === undefined) {
      const labels = { method, route, status_code: String(statusCode) };
      series = { count: this.requests.labels(labels), seconds: this.duration.labels(labels) };
      this.series.set(key, series);
    }
    series.count.inc();
    series.seconds.observe(seconds);
  }
}
