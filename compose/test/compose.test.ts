// The compose stack, checked without a Docker engine: the file as Compose v2 reads it
// (resolved-compose.ts; its schema and consistency checks are in compose-v2.test.ts), held to what
// docs/deployment.md promises (health-gated start,
// hardening, volumes, networks, image names) and to the observability configs that name it.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import { parse } from "yaml";
import {
  ALERTMANAGER_CONFIG,
  ALLOY_CONFIG,
  COMPOSE_FILE,
  ENV_EXAMPLE,
  GRAFANA_DASHBOARD_PROVIDERS,
  GRAFANA_DATASOURCES,
  PROMETHEUS_CONFIG,
  REPO_ROOT,
  repoPath,
} from "../local/kit/testing/stack-paths.js";
import { readCatalogue } from "../../.ci/images/catalogue.js";
import { imageBuildArgs } from "../../dagger/module/src/lib/image-recipe.js";
import { serviceSpec } from "../../dagger/module/src/lib/services.js";
import { catalogueIdentities, certStem, parseCertsCommand } from "../local/certs.ts";
import { builtService } from "./compose-model.js";
import { networksOf, resolveCompose, servicesAnswering, splitHostPort, type ComposeProject, type ComposeService } from "./resolved-compose.js";

// Every catalogued service, each built from the one recipe with its own build arguments.
const CATALOGUE = readCatalogue();
const SERVICE_DIRS = CATALOGUE.services.map((spec) => spec.name);

/** The book system's services: the ones built from the recipe of services/. */
function bookSystem(project: ComposeProject): Array<[string, ComposeService]> {
  return Object.entries(project.services).filter(([, service]) => service.build !== undefined);
}

const serviceDir = builtService;

/** One-shot jobs (the development CA's `certs`): run once per `up`, waited for until they exit 0. */
function isJob(project: ComposeProject, name: string): boolean {
  return project.services[name]?.restart === "no";
}

/** The images of the book system: a job may run one of them without building it again. */
function bookImages(project: ComposeProject): Set<string | undefined> {
  return new Set(bookSystem(project).map(([, service]) => service.image));
}

function bookRacks(project: ComposeProject): Array<[string, ComposeService]> {
  return bookSystem(project).filter(([, service]) => serviceDir(service) === "wrk-book");
}

interface ScrapeJob {
  job_name: string;
  static_configs?: Array<{ targets: string[] }>;
  dns_sd_configs?: Array<{ names: string[]; type: string; port: number }>;
}

describe("compose stack", function () {
  let project: ComposeProject;

  before(function () {
    project = resolveCompose();
  });

  describe("the book system", function () {
    it("runs every catalogued service, two book racks among them, each built from the recipe with the catalogue's arguments", function () {
      expect(bookSystem(project).map(([, service]) => serviceDir(service)).sort()).to.deep.equal([...SERVICE_DIRS, "wrk-book"].sort());
      expect(bookRacks(project)).to.have.length(2);
      for (const [name, service] of bookSystem(project)) {
        expect(service.build?.context, name).to.equal(REPO_ROOT.replace(/\/$/, ""));
        const spec = serviceSpec(CATALOGUE, serviceDir(service));
        const recipeArgs = Object.fromEntries(imageBuildArgs(spec).map((arg) => [arg.name, arg.value]));
        expect(service.build?.args, name).to.deep.include(recipeArgs);
        expect(Object.keys(service.build?.args ?? {}).sort(), name).to.deep.equal(["NODE_IMAGE", "OCI_CREATED", "OCI_REVISION", "OCI_SOURCE", "OCI_VERSION", ...Object.keys(recipeArgs)].sort());
      }
    });

    it("names images ${IMAGE_REGISTRY}/<service>:${IMAGE_TAG}, so a rollback is a tag change", function () {
      const release = resolveCompose({ IMAGE_REGISTRY: "registry.example:5000/team", IMAGE_TAG: "1.4.2" });
      const rollback = resolveCompose({ IMAGE_REGISTRY: "registry.example:5000/team", IMAGE_TAG: "1.4.1" });
      for (const [name, service] of bookSystem(release)) {
        expect(service.image, name).to.equal(`registry.example:5000/team/${serviceDir(service)}:1.4.2`);
        expect(rollback.services[name]?.image, name).to.equal(`registry.example:5000/team/${serviceDir(service)}:1.4.1`);
      }
      // Nothing but the book system's images moves with the tag.
      for (const [name, service] of Object.entries(release.services)) {
        if (service.build === undefined && !bookImages(release).has(service.image)) expect(rollback.services[name]?.image, name).to.equal(service.image);
      }
      // The certs job runs the orchestrator's image of the same release (its bundled certs tool).
      expect(release.services.certs?.image).to.equal(release.services["wrk-ork"]?.image);
    });

    it("gives each book rack its own rack id, advertised address and named volume at DATA_DIR", function () {
      const racks = bookRacks(project);
      const rackIds = racks.map(([, service]) => service.environment?.RACK_ID);
      const volumes = racks.map(([, service]) => service.volumes.find((v) => v.target === "/data")?.source);
      expect(new Set(rackIds).size).to.equal(racks.length);
      expect(new Set(volumes).size).to.equal(racks.length);
      for (const [index, [name, service]] of racks.entries()) {
        expect(service.environment?.DATA_DIR, name).to.equal("/data");
        expect(Object.keys(project.volumes), name).to.include(volumes[index]);
        expect(service.environment?.ADVERTISE_ADDR, name).to.equal(`${name}:${service.environment?.GRPC_PORT}`);
      }
    });

    it("keeps every service's durable data on a named volume, which `down` keeps", function () {
      for (const [name, service] of bookSystem(project)) {
        const dataDir = service.environment?.DATA_DIR;
        if (dataDir === undefined) continue;
        const mount = service.volumes.find((v) => v.target === dataDir);
        expect(mount?.type, `${name} has no volume at ${dataDir}`).to.equal("volume");
        expect(Object.keys(project.volumes), name).to.include(mount?.source);
      }
    });

    it("points every worker and app-node at the orchestrator", function () {
      for (const [name, service] of bookSystem(project)) {
        if (serviceDir(service) === "wrk-ork") continue;
        const { host, port } = splitHostPort(service.environment?.ORK_ADDR ?? "");
        expect(servicesAnswering(project, name, host), name).to.deep.equal(["wrk-ork"]);
        expect(port, name).to.equal(project.services["wrk-ork"]?.environment?.GRPC_PORT);
      }
    });
  });

  describe("start order and health", function () {
    it("gives every service a health check (a job that exits has none)", function () {
      for (const [name, service] of Object.entries(project.services)) {
        if (isJob(project, name)) {
          expect(service.healthcheck?.disable, name).to.equal(true);
          continue;
        }
        const test = service.healthcheck?.test;
        expect(service.healthcheck?.disable, name).to.not.equal(true);
        expect(test, `${name} has no health check`).to.be.an("array").with.length.greaterThan(1);
        expect(["CMD", "CMD-SHELL"], name).to.include((test as string[])[0]);
      }
    });

    it("checks each service of the book system's readiness on its own HTTP port", function () {
      for (const [name, service] of bookSystem(project)) {
        const command = (service.healthcheck?.test as string[]).join(" ");
        expect(command, name).to.contain(`http://127.0.0.1:${service.environment?.HTTP_PORT}/readyz`);
        expect(command, name).to.contain("AbortSignal.timeout");
      }
    });

    it("waits for dependencies to be healthy (a job: to have exited 0), never merely started", function () {
      for (const [name, service] of Object.entries(project.services)) {
        for (const [dependency, options] of Object.entries(service.depends_on ?? {})) {
          expect(options.condition, `${name} -> ${dependency}`).to.equal(isJob(project, dependency) ? "service_completed_successfully" : "service_healthy");
        }
      }
    });

    it("starts the orchestrator first, the workers next and app-node after every book rack", function () {
      for (const [name, service] of bookSystem(project)) {
        expect(Object.keys(service.depends_on ?? {}), name).to.include("certs");
        if (serviceDir(service) === "wrk-ork") expect(Object.keys(service.depends_on ?? {}).filter((dependency) => !isJob(project, dependency)), name).to.deep.equal([]);
        else expect(Object.keys(service.depends_on ?? {}), name).to.include("wrk-ork");
      }
      const appNode = project.services["app-node"];
      expect(Object.keys(appNode?.depends_on ?? {})).to.include.members(bookRacks(project).map(([name]) => name));
      expect(Object.keys(project.services.grafana?.depends_on ?? {})).to.include.members(["prometheus", "loki"]);
      expect(Object.keys(project.services.alloy?.depends_on ?? {})).to.include("loki");
    });
  });

  describe("mutual TLS", function () {
    it("gives every service of the book system its own certificate from the certs job's volume, TLS on by default", function () {
      const job = project.services.certs;
      // The job's command line read as the tool reads it: where it writes, which racks it binds.
      const { out, racks } = parseCertsCommand((job?.command as string[] | undefined) ?? []);
      const written = job?.volumes.find((v) => v.target === out);
      expect(written?.type).to.equal("volume");
      const stems = new Set(catalogueIdentities(CATALOGUE, racks).map((identity) => identity.stem));
      for (const [name, service] of bookSystem(project)) {
        const mount = service.volumes.find((v) => v.source === written?.source);
        expect(mount?.readOnly, `${name} mounts the certs volume read-only`).to.equal(true);
        const dir = mount?.target ?? "";
        const rack = service.environment?.RACK_ID;
        const stem = certStem(serviceDir(service), racks[serviceDir(service)] ? rack : undefined);
        expect(stems, `${name}: the certs job makes no certificate ${stem} (a new rack needs --rack wrk-book:${rack})`).to.include(stem);
        expect(service.environment, name).to.deep.include({
          TLS_CA_FILE: `${dir}/ca.pem`,
          TLS_CERT_FILE: `${dir}/${stem}.pem`,
          TLS_KEY_FILE: `${dir}/${stem}-key.pem`,
          TLS_INSECURE: "0",
        });
      }
    });
  });

  describe("hardening and limits", function () {
    it("runs every service with init, a restart policy, a read-only root, tmpfs for /tmp and limits", function () {
      for (const [name, service] of Object.entries(project.services)) {
        expect(service.init, name).to.equal(true);
        expect(service.restart, name).to.equal(isJob(project, name) ? "no" : "unless-stopped");
        expect(service.read_only, name).to.equal(true);
        expect((service.tmpfs ?? []).some((t) => t.split(":")[0] === "/tmp"), name).to.equal(true);
        expect(service.deploy?.resources?.limits?.memory, name).to.be.a("string");
        expect(Number(service.deploy?.resources?.limits?.cpus), name).to.be.greaterThan(0);
        expect(service.deploy?.resources?.limits?.pids, name).to.be.a("number");
      }
    });

    it("pins every image it does not build to a version", function () {
      for (const [name, service] of Object.entries(project.services)) {
        if (service.build !== undefined || bookImages(project).has(service.image)) continue;
        const tag = /:([^:/]+)$/.exec(service.image ?? "")?.[1];
        expect(tag, name).to.match(/^v?\d+\.\d+\.\d+$/);
      }
    });

    it("mounts configuration files that exist in the repository", function () {
      for (const [name, service] of Object.entries(project.services)) {
        for (const volume of service.volumes) {
          if (volume.source.startsWith(REPO_ROOT)) expect(existsSync(volume.source), `${name}: ${volume.source}`).to.equal(true);
        }
      }
    });
  });

  describe("networks", function () {
    it("keeps the gRPC backend and the monitoring network internal", function () {
      expect(project.networks.backend?.internal).to.equal(true);
      expect(project.networks.monitoring?.internal).to.equal(true);
    });

    it("puts only app-node on the public edge, and publishes no other service of the book system", function () {
      const onEdge = Object.entries(project.services).filter(([, service]) => networksOf(service).includes("edge")).map(([name]) => name);
      expect(onEdge).to.deep.equal(["app-node"]);
      for (const [name, service] of bookSystem(project)) {
        if (name !== "app-node") expect(service.ports ?? [], name).to.deep.equal([]);
      }
      expect(project.services["app-node"]?.ports).to.deep.equal(["0.0.0.0:3000:3000"]);
    });

    it("keeps monitoring off the backend, and the book system off the operators' network", function () {
      for (const name of ["prometheus", "alertmanager", "grafana", "loki", "alloy"]) {
        expect(Object.keys(project.services[name]?.networks ?? {}), name).to.not.include("backend");
      }
      for (const [name, service] of bookSystem(project)) expect(networksOf(service), name).to.not.include("ops");
    });

    it("publishes the operators' UIs on loopback by default", function () {
      for (const name of ["prometheus", "alertmanager", "grafana"]) {
        for (const port of project.services[name]?.ports ?? []) expect(String(port), name).to.match(/^127\.0\.0\.1:/);
      }
    });
  });

  describe("what the observability configs name", function () {
    let jobs: ScrapeJob[];

    before(async function () {
      jobs = (parse(await readFile(PROMETHEUS_CONFIG, "utf8")) as { scrape_configs: ScrapeJob[] }).scrape_configs;
    });

    /** The compose services a scrape target reaches, with the port it scrapes. */
    function scraped(): Array<{ job: string; service: string; port: string }> {
      const found: Array<{ job: string; service: string; port: string }> = [];
      for (const job of jobs) {
        for (const target of job.static_configs?.flatMap((s) => s.targets) ?? []) {
          const { host, port } = splitHostPort(target);
          const services = host === "localhost" ? ["prometheus"] : servicesAnswering(project, "prometheus", host);
          expect(services, `${job.job_name}: ${target} is not a service on a network Prometheus is on`).to.have.length(1);
          found.push({ job: job.job_name, service: services[0] ?? "", port });
        }
        for (const sd of job.dns_sd_configs ?? []) {
          expect(sd.type, job.job_name).to.equal("A");
          for (const name of sd.names) {
            const services = servicesAnswering(project, "prometheus", name);
            expect(services, `${job.job_name}: no service answers to ${name}`).to.have.length.greaterThan(0);
            for (const service of services) found.push({ job: job.job_name, service, port: String(sd.port) });
          }
        }
      }
      return found;
    }

    it("scrapes only services and ports of the compose file", function () {
      for (const { job, service, port } of scraped()) {
        const definition = project.services[service];
        expect(definition?.expose ?? [], `${job}: ${service} does not expose ${port}`).to.include(port);
        // app-node's /metrics is on METRICS_PORT when set; every other service's is on HTTP_PORT.
        if (definition?.build !== undefined) expect(definition.environment.METRICS_PORT ?? definition.environment.HTTP_PORT, `${job}: ${service}`).to.equal(port);
      }
    });

    it("scrapes every service of the book system, every book rack, Prometheus and Alertmanager", function () {
      const services = scraped().map((s) => s.service);
      expect(services).to.include.members([...bookSystem(project).map(([name]) => name), "prometheus", "alertmanager"]);
    });

    it("finds book racks by the alias every rack carries, so a new rack needs no Prometheus change", function () {
      const dnsJob = jobs.find((job) => job.dns_sd_configs !== undefined);
      const alias = dnsJob?.dns_sd_configs?.[0]?.names[0] ?? "";
      expect(servicesAnswering(project, "prometheus", alias).sort()).to.deep.equal(bookRacks(project).map(([name]) => name).sort());
    });

    it("sends alerts to the Alertmanager service", async function () {
      const config = parse(await readFile(PROMETHEUS_CONFIG, "utf8")) as { alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> } };
      for (const target of config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((s) => s.targets))) {
        const { host, port } = splitHostPort(target);
        expect(servicesAnswering(project, "prometheus", host)).to.deep.equal(["alertmanager"]);
        expect(project.services.alertmanager?.expose).to.include(port);
      }
      expect(existsSync(ALERTMANAGER_CONFIG)).to.equal(true);
    });

    it("gives Grafana data sources that are services it can reach", async function () {
      const { datasources } = parse(await readFile(GRAFANA_DATASOURCES, "utf8")) as { datasources: Array<{ name: string; url: string }> };
      for (const source of datasources) {
        const { host, port } = splitHostPort(source.url);
        const services = servicesAnswering(project, "grafana", host);
        expect(services, source.name).to.have.length(1);
        expect(project.services[services[0] ?? ""]?.expose ?? [], source.name).to.include(port);
      }
    });

    it("loads dashboards from where the compose file mounts them, home dashboard included", async function () {
      const { providers } = parse(await readFile(GRAFANA_DASHBOARD_PROVIDERS, "utf8")) as { providers: Array<{ options: { path: string } }> };
      const grafana = project.services.grafana;
      for (const provider of providers) {
        const mount = grafana?.volumes.find((v) => v.target === provider.options.path);
        expect(mount?.source).to.equal(repoPath("observability/grafana/dashboards"));
      }
      const home = grafana?.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? "";
      expect(existsSync(home.replace("/etc/grafana/dashboards/", repoPath("observability/grafana/dashboards/")))).to.equal(true);
    });

    it("ships logs from Alloy to the Loki service, from the containers it labels", async function () {
      const alloy = await readFile(ALLOY_CONFIG, "utf8");
      const url = /url\s*=\s*"([^"]+)"/.exec(alloy)?.[1] ?? "";
      const { host, port } = splitHostPort(url);
      expect(servicesAnswering(project, "alloy", host)).to.deep.equal(["loki"]);
      expect(project.services.loki?.expose).to.include(port);
      const label = /values\s*=\s*\["([\w.-]+)=(\w+)"\]/.exec(alloy);
      for (const [name, service] of bookSystem(project)) expect(service.labels?.[label?.[1] ?? ""], name).to.equal(label?.[2]);
    });
  });

  describe(".env.example", function () {
    it("lists every variable the compose file reads, with the file's default as its value", async function () {
      const compose = await readFile(COMPOSE_FILE, "utf8");
      const example = await readFile(ENV_EXAMPLE, "utf8");
      const defaults = new Map<string, string>();
      const required = new Set<string>();
      for (const match of compose.matchAll(/\$\{(\w+)(?:(:-|:\?)([^}]*))?\}/g)) {
        if (match[2] === ":?") required.add(match[1] ?? "");
        else defaults.set(match[1] ?? "", match[3] ?? "");
      }
      const listed = new Map<string, string>();
      for (const match of example.matchAll(/^(\w+)=(.*)$/gm)) listed.set(match[1] ?? "", match[2] ?? "");
      expect([...listed.keys()].sort()).to.deep.equal([...defaults.keys(), ...required].sort());
      // A required variable has no default: the example shows its format.
      expect([...required]).to.deep.equal(["API_TOKENS"]);
      for (const [name, value] of defaults) expect(listed.get(name), name).to.equal(value);
    });
  });
});
