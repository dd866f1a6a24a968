// The observability images cannot be pulled or run here, so what they do was read in their sources
// at the pinned versions (git tags of the upstream repositories, fetched for issue 16). Each fact
// below names where it was read; the tests hold the compose file to it. A new pin means reading
// the new version's source again and updating the fact with it.
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { COMPOSE_FILE, repoPath } from "../local/kit/testing/stack-paths.js";
import { loadComposeDict, MissingVariableError } from "./compose-load.js";
import { REQUIRED_ENV, resolveCompose, type ComposeProject } from "./resolved-compose.js";

/** Released tags (upstream git tags; Loki's images drop the tag's leading `v`). */
const RELEASED: Readonly<Record<string, { image: string; tag: string; read: string }>> = {
  prometheus: { image: "prom/prometheus", tag: "v3.13.2", read: "prometheus/prometheus tag v3.13.2" },
  alertmanager: { image: "prom/alertmanager", tag: "v0.33.1", read: "prometheus/alertmanager tag v0.33.1" },
  // 3.7.7 was pinned before: there is no such tag (newest 3.7.x: v3.7.6).
  loki: { image: "grafana/loki", tag: "3.7.6", read: "grafana/loki tag v3.7.6" },
  alloy: { image: "grafana/alloy", tag: "v1.18.1", read: "grafana/alloy tag v1.18.1" },
  // Images drop the tag's leading `v`, as Loki's do.
  tempo: { image: "grafana/tempo", tag: "3.0.3", read: "grafana/tempo tag v3.0.3" },
  // Not fetched (the repository is over the size limit): 13.1.0 is the version the bundled
  // plugins report in grafana/grafana#132528 ("Updating plugin pluginId=loki from=13.1.0").
  grafana: { image: "grafana/grafana", tag: "13.1.0", read: "grafana/grafana#132528" },
};

function command(project: ComposeProject, service: string): string[] {
  const value = project.services[service]?.command;
  return Array.isArray(value) ? value.map(String) : [];
}

describe("compose file, against the pinned versions' sources", function () {
  let project: ComposeProject;

  before(function () {
    project = resolveCompose();
  });

  it("pins each observability image to a released tag", function () {
    for (const [service, { image, tag, read }] of Object.entries(RELEASED)) {
      expect(project.services[service]?.image, `${service} (${read})`).to.equal(`${image}:${tag}`);
    }
  });

  it("Alloy: data outside the image's 0770 folder, no usage reporting", function () {
    // grafana/alloy v1.18.1 Dockerfile: no USER (root); `chown -R alloy /var/lib/alloy && chmod -R
    // 770 /var/lib/alloy`. Root with every capability dropped cannot enter that folder.
    const alloy = project.services.alloy;
    expect(alloy?.cap_drop).to.deep.equal(["ALL"]);
    expect(alloy?.user, "the image's user (root)").to.equal(undefined);
    const storage = command(project, "alloy").find((arg) => arg.startsWith("--storage.path="))?.split("=")[1] ?? "";
    expect(storage).to.not.match(/^\/var\/lib\/alloy(\/|$)/);
    expect(alloy?.volumes.find((v) => v.target === storage)?.type, "a named volume at the storage path").to.equal("volume");
    // internal/alloycli/cmd_run.go: --disable-reporting ("Disable reporting of enabled components to Grafana").
    expect(command(project, "alloy")).to.include("--disable-reporting");
  });

  it("Tempo: checks its own readiness (no shell in the image), receives OTLP/HTTP on every interface, keeps data on a volume", async function () {
    // cmd/tempo/main.go v3.0.3: -health ("Run a health check against the /ready endpoint and
    // exit"), after the configuration is loaded, so the check names the same file.
    const tempo = project.services.tempo;
    expect(tempo?.healthcheck?.test).to.deep.equal(["CMD", "/tempo", ...command(project, "tempo"), "-health"]);
    // docs/sources/tempo/configuration/_index.md v3.0.3: the OTLP http receiver defaults to localhost:4318.
    const config = parse(await readFile(repoPath("observability/tempo/tempo.yml"), "utf8")) as { distributor: { receivers: { otlp: { protocols: { http: { endpoint: string } } } } } };
    expect(config.distributor.receivers.otlp.protocols.http.endpoint).to.equal("0.0.0.0:4318");
    expect(tempo?.expose).to.include.members(["3200", "4318"]);
    // cmd/tempo/Dockerfile v3.0.3: USER 10001, /var/tempo 10001:10001 mode 0700; a named volume takes that owner.
    expect(tempo?.volumes.find((v) => v.target === "/var/tempo")?.type).to.equal("volume");
    // Every service of the book system sends its spans there.
    for (const name of ["wrk-ork", "wrk-base", "tpl-wrk-thing", "wrk-book-1", "wrk-book-2", "app-node"]) {
      expect(project.services[name]?.environment.OTEL_EXPORTER_OTLP_ENDPOINT, name).to.equal("http://tempo:4318");
    }
  });

  it("Prometheus keeps exemplars (a feature flag still in v3.13.2)", function () {
    // cmd/prometheus/main.go v3.13.2: `case "exemplar-storage":` among the --enable-feature values.
    expect(command(project, "prometheus")).to.include("--enable-feature=exemplar-storage");
  });

  it("Alertmanager runs alone: no cluster listener", function () {
    // cmd/alertmanager/main.go v0.33.1: "Set to empty string to disable HA mode."
    expect(command(project, "alertmanager")).to.include("--cluster.listen-address=");
  });

  it("Prometheus gets no deprecated flag", function () {
    // cmd/prometheus/main.go v3.13.2 marks these [DEPRECATED]: use storage.tsdb.retention in the config file.
    const deprecated = ["--storage.tsdb.retention.time", "--storage.tsdb.retention.size"];
    for (const arg of command(project, "prometheus")) expect(deprecated, arg).to.not.include(arg.split("=")[0]);
  });

  it("Grafana keeps the bundled data source plugins it ships (no auto-update on a read-only root)", function () {
    // pkg/setting/setting_plugins.go: loki and prometheus are default preinstalled plugins and
    // [plugins] preinstall_auto_update defaults to true; alertmanager is a core data source.
    expect(project.services.grafana?.read_only).to.equal(true);
    expect(project.services.grafana?.environment.GF_PLUGINS_PREINSTALL_AUTO_UPDATE).to.equal("false");
  });

  it("refuses to start without API_TOKENS, with a message that says what to set", function () {
    for (const env of [{}, { API_TOKENS: "" }]) {
      expect(() => loadComposeDict(COMPOSE_FILE, env)).to.throw(MissingVariableError, /required variable API_TOKENS is missing a value: set API_TOKENS in compose\/\.env/);
    }
    expect(resolveCompose(REQUIRED_ENV).services["app-node"]?.environment.API_TOKENS).to.equal(REQUIRED_ENV.API_TOKENS);
  });

  it("names the project, so a checkout's folder name does not", function () {
    expect(project.name).to.equal("bookstore");
  });

  it("does not publish app-node's metrics port", function () {
    const appNode = project.services["app-node"];
    const metricsPort = appNode?.environment.METRICS_PORT ?? "";
    expect(metricsPort).to.match(/^\d+$/).and.not.equal(appNode?.environment.HTTP_PORT);
    expect(appNode?.expose).to.include(metricsPort);
    for (const port of appNode?.ports ?? []) expect(String(port).split(":").at(-1)).to.not.equal(metricsPort);
  });
});
