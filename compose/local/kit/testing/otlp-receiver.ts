// The receiving end of the services' trace export in tests: an HTTP server on loopback that takes
// OTLP/HTTP JSON (POST /v1/traces, an ExportTraceServiceRequest) as a collector or Tempo does,
// refuses anything else with the status a collector gives, and keeps the spans.
import { type Server, createServer } from "node:http";
import { closeLoopback, listenOnLoopback } from "./loopback-http.ts";

/** OTLP's AnyValue, as far as span attributes use it. */
interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}

interface KeyValue {
  key: string;
  value: AnyValue;
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: KeyValue[];
  status?: { code?: number; message?: string };
}

interface ExportRequest {
  resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }; scopeSpans?: Array<{ spans?: OtlpSpan[] }> }>;
}

/** OTLP's SpanKind and StatusCode numbers. */
export const SPAN_KIND = { SERVER: 2, CLIENT: 3 } as const;
export const STATUS_CODE = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
  statusCode: number;
}

function valueOf(value: AnyValue): string | number | boolean {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  throw new Error(`attribute value of a kind this receiver does not read: ${JSON.stringify(value)}`);
}

function attributesOf(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

const HEX_ID = { trace: /^[0-9a-f]{32}$/, span: /^[0-9a-f]{16}$/ };

/** The spans of one export request; throws on anything OTLP/JSON does not allow. */
export function spansOf(request: ExportRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const service = attributesOf(resourceSpans.resource?.attributes)["service.name"];
    if (typeof service !== "string") throw new Error("resource without service.name");
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        // OTLP/JSON writes trace and span ids as hex, not base64 (the protobuf JSON default).
        if (!HEX_ID.trace.test(span.traceId) || !HEX_ID.span.test(span.spanId)) throw new Error(`ids not in OTLP/JSON hex: ${span.traceId} ${span.spanId}`);
        if (span.parentSpanId && !HEX_ID.span.test(span.parentSpanId)) throw new Error(`parent id not hex: ${span.parentSpanId}`);
        spans.push({
          service,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? "",
          name: span.name,
          kind: span.kind,
          attributes: attributesOf(span.attributes),
          statusCode: span.status?.code ?? STATUS_CODE.UNSET,
        });
      }
    }
  }
  return spans;
}

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly rejected: string[] = [];
  private server: Server | undefined;

  /** Starts on a free loopback port; answers the base URL (the services' OTEL_EXPORTER_OTLP_ENDPOINT). */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        if (req.method !== "POST" || req.url !== "/v1/traces") return void res.writeHead(404).end();
        if (!String(req.headers["content-type"]).startsWith("application/json")) {
          this.rejected.push(`content-type ${req.headers["content-type"]}`);
          return void res.writeHead(415).end();
        }
        try {
          this.spans.push(...spansOf(JSON.parse(Buffer.concat(chunks).toString("utf8")) as ExportRequest));
        } catch (error) {
          this.rejected.push((error as Error).message);
          return void res.writeHead(400).end();
        }
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    return listenOnLoopback(this.server, "OTLP receiver");
  }

  /** The spans of one trace. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  async stop(): Promise<void> {
    await closeLoopback(this.server);
  }
}
