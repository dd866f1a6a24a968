// The parts of Prometheus's HTTP API the live test reads, each call with a deadline.
import { waitUntil } from "../../../compose/local/kit/wait-until.js";

export interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

export interface Target {
  labels: Record<string, string>;
  health: "up" | "down" | "unknown";
  lastError: string;
  scrapeUrl: string;
}

export interface Alert {
  labels: Record<string, string>;
  state: "pending" | "firing";
}

export interface Exemplars {
  seriesLabels: Record<string, string>;
  exemplars: Array<{ labels: Record<string, string>; value: string; timestamp: number }>;
}

export class PrometheusApi {
  constructor(readonly baseUrl: string) {}

  private async get<T>(path: string, params: Record<string, string | string[]> = {}): Promise<T> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) url.searchParams.append(key, v);
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success") throw new Error(`${url.pathname}: ${body.error ?? response.status} (${url.searchParams.toString()})`);
    return body.data;
  }

  async query(expr: string): Promise<Sample[]> {
    return (await this.get<{ result: Sample[] }>("/api/v1/query", { query: expr })).result;
  }

  async queryRange(expr: string, seconds: number, stepSeconds: number): Promise<Sample[]> {
    const end = Date.now() / 1000;
    const data = await this.get<{ result: Sample[] }>("/api/v1/query_range", {
      query: expr,
      start: String(end - seconds),
      end: String(end),
      step: String(stepSeconds),
    });
    return data.result;
  }

  labelValues(label: string, selector?: string): Promise<string[]> {
    return this.get<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, selector ? { "match[]": selector } : {});
  }

  /** The exemplars Prometheus stored for the series `expr` selects, over the last `seconds` (needs --enable-feature=exemplar-storage). */
  async exemplars(expr: string, seconds: number): Promise<Exemplars[]> {
    const end = Date.now() / 1000;
    return this.get<Exemplars[]>("/api/v1/query_exemplars", { query: expr, start: String(end - seconds), end: String(end) });
  }

  async targets(): Promise<Target[]> {
    return (await this.get<{ activeTargets: Target[] }>("/api/v1/targets", { state: "active" })).activeTargets;
  }

  async alerts(): Promise<Alert[]> {
    return (await this.get<{ alerts: Alert[] }>("/api/v1/alerts")).alerts;
  }
}

/** True when some series of the result has a finite value: data, not only NaN or nothing. */
export function hasFiniteValue(samples: readonly Sample[]): boolean {
  return samples.some((sample) => [...(sample.value ? [sample.value] : []), ...(sample.values ?? [])].some(([, v]) => Number.isFinite(Number(v))));
}

/** Polls `check` until it returns a value (not undefined), or fails with the last reason (the kit's waitUntil). */
export function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<Exclude<T, undefined | false>> {
  return waitUntil(check, { what, timeoutMs, intervalMs: 250, failure: (last) => `${what}: not within ${timeoutMs} ms${last ? ` (last: ${last})` : ""}` });
}
