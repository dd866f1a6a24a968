import { Counter, Histogram, type LabelValues, type Registry } from "prom-client";
import { LATENCY_BUCKETS } from "@bookstore/wrk-base";

const LABELS = ["method", "route", "status_code"] as const;
type Label = (typeof LABELS)[number];

/** The route label of a request no route matched: never the raw path, which has no bound. */
export const UNMATCHED_ROUTE = "unmatched";

interface Series {
  count: { inc(): void };
  seconds: { observe(value: number): void };
}

/**
 * `http_requests_total` and `http_request_duration_seconds`, by method, route pattern and status;
 * `http_listings_missing_rack_total{rack}`, listings answered without a rack's books (a 200 that
 * no status code or error ratio shows).
 */
export class HttpMetrics {
  private readonly requests: Counter<(typeof LABELS)[number]>;
  private readonly duration: Histogram<(typeof LABELS)[number]>;
  private readonly listingsMissingRack: Counter<"rack">;
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
      // A traced request leaves its trace id on the bucket it fell in: a slow point on a latency
      // panel opens its trace (Grafana's exemplar link to Tempo).
      enableExemplars: true,
    });
    this.listingsMissingRack = new Counter({
      name: "http_listings_missing_rack_total",
      help: "Listings answered without the books of a rack that could not answer, by that rack.",
      labelNames: ["rack"],
      registers: [registry],
    });
  }

  /**
   * One listing: +1 for each missing rack, and 0 for each that answered, so a rack's series
   * exists before it first goes missing and increase() counts that first time.
   */
  observeListing(answeredRacks: readonly string[], missingRacks: readonly string[]): void {
    for (const rack of answeredRacks) this.listingsMissingRack.inc({ rack }, 0);
    for (const rack of missingRacks) this.listingsMissingRack.inc({ rack });
  }

  /** `traceId`: the request's trace when it is sampled, written as the exemplar `trace_id`. */
  observe(method: string, route: string, statusCode: number, seconds: number, traceId?: string): void {
    const key = `${method} ${route} ${statusCode}`;
    let series = this.series.get(key);
    if (series === undefined) {
      const labels = { method, route, status_code: String(statusCode) };
      series = { count: this.requests.labels(labels), seconds: this.duration.labels(labels) };
      this.series.set(key, series);
    }
    series.count.inc();
    // The cached child cannot take an exemplar: a traced request takes the labelled path.
    if (traceId === undefined) series.seconds.observe(seconds);
    // prom-client's typings give exemplar labels the metric's label names; any name is valid there.
    else this.duration.observe({ labels: { method, route, status_code: String(statusCode) }, value: seconds, exemplarLabels: { trace_id: traceId } as unknown as LabelValues<Label> });
  }
}
