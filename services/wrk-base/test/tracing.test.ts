// The tracing settings from the standard OTEL_* variables: where spans go, how they are sampled,
// and a clear error for a value the SDK would only warn about.
import { expect } from "chai";
import { SettingsError } from "../src/settings.js";
import { readTracingSettings } from "../src/tracing.js";

describe("tracing settings (OTEL_*)", () => {
  it("exports nothing without an endpoint, and samples like the SDK's default (parent-based, always on)", () => {
    expect(readTracingSettings({})).to.deep.equal({ endpoint: undefined, sampler: "parentbased_always_on", ratio: 1, timeoutMs: 10_000, batchDelayMs: 5_000 });
  });

  it("sends to <endpoint>/v1/traces, or to the traces endpoint as it is, unless the SDK is disabled", () => {
    expect(readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://tempo:4318/" }).endpoint).to.equal("http://tempo:4318/v1/traces");
    expect(readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://b/otlp/traces" }).endpoint).to.equal("https://b/otlp/traces");
    expect(readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://tempo:4318", OTEL_SDK_DISABLED: "true" }).endpoint).to.equal(undefined);
  });

  it("reads a parent-based ratio sampler", () => {
    const settings = readTracingSettings({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.25" });
    expect([settings.sampler, settings.ratio]).to.deep.equal(["parentbased_traceidratio", 0.25]);
  });

  it("stops at a value the SDK would ignore, naming the variable", () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ OTEL_TRACES_SAMPLER: "parentbased_ratio" }, /OTEL_TRACES_SAMPLER.*expected one of always_on/],
      [{ OTEL_TRACES_SAMPLER_ARG: "1.5" }, /OTEL_TRACES_SAMPLER_ARG.*ratio from 0 to 1/],
      [{ OTEL_TRACES_SAMPLER_ARG: "ten percent" }, /OTEL_TRACES_SAMPLER_ARG/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: "tempo:4318" }, /OTEL_EXPORTER_OTLP_ENDPOINT.*http:\/\/ or https:\/\//],
      [{ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, /OTEL_EXPORTER_OTLP_PROTOCOL.*http\/json/],
      [{ OTEL_SDK_DISABLED: "yes" }, /OTEL_SDK_DISABLED.*true or false/],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: "0" }, /OTEL_EXPORTER_OTLP_TIMEOUT/],
    ];
    for (const [env, message] of bad) expect(() => readTracingSettings(env), JSON.stringify(env)).to.throw(SettingsError, message);
  });
});
