import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

import { readCatalogue } from "../../.ci/images/catalogue.js";
import { parseCatalogue, serviceNames, startOrder } from "../module/src/lib/services.js";
import { SMOKE_API_TOKEN, STACK_CERTS_COMMAND, STACK_CERTS_DIR, STACK_CERTS_OUT, smokeEnvironment, smokeTargets, stackEnvironment, stackPorts } from "../module/src/lib/stack.js";
import { formatBuildSummary, formatPublishJson, formatPublishSummary, platformsOfIndex } from "../module/src/lib/summary.js";

const CATALOGUE = readCatalogue();
const SERVICE_NAMES = serviceNames(CATALOGUE);
const STACK_START_ORDER = startOrder(CATALOGUE);

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;

describe("summaries", () => {
  it("tabulates builds and ends with a verdict", () => {
    const text = formatBuildSummary([
      { service: "wrk-base", platform: "linux/amd64", ok: true, seconds: 12.34 },
      { service: "wrk-base", platform: "linux/arm64", ok: false, seconds: 3, error: "step 4/9 failed\nmore detail" },
      { service: "app-node", platform: "linux/amd64", ok: true, seconds: 8 },
    ]);
    const lines = text.split("\n");
    expect(lines[0]).to.match(/^service\s+platform\s+result\s+seconds$/);
    expect(lines[1]).to.match(/^wrk-base\s+linux\/amd64\s+ok\s+12\.3$/);
    expect(lines[2]).to.match(/^wrk-base\s+linux\/arm64\s+FAILED\s+3\.0$/);
    expect(text).to.include("error in wrk-base (linux/arm64): step 4/9 failed");
    expect(text).not.to.include("more detail");
    expect(lines.at(-1)).to.equal("2 services x 2 platforms: 2 built, 1 failed");
  });

  it("names the services a partial build skipped", () => {
    const text = formatBuildSummary([{ service: "app-node", platform: "linux/amd64", ok: true, seconds: 1 }], ["wrk-ork"]);
    expect(text).to.include("not affected, not built: wrk-ork");
  });

  it("gives one line per published image when its tags share one digest", () => {
    const text = formatPublishSummary([
      { service: "wrk-base", repository: "ghcr.io/a/wrk-base", digests: [{ tag: "sha-0123456", digest: D1 }, { tag: "latest", digest: D1 }] },
    ]);
    expect(text).to.equal(`ghcr.io/a/wrk-base@${D1}  tags: sha-0123456, latest`);
  });

  it("spells out tags that ended on different digests", () => {
    const text = formatPublishSummary([
      { service: "wrk-base", repository: "r/wrk-base", digests: [{ tag: "sha-0123456", digest: D1 }, { tag: "latest", digest: D2 }] },
    ]);
    expect(text).to.equal(`r/wrk-base: tags point at different digests:\n  sha-0123456 -> ${D1}\n  latest -> ${D2}`);
  });

  it("gives JSON with the repository, tags, index digest and each platform's digest", () => {
    const raw = JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { digest: D1, platform: { os: "linux", architecture: "amd64" } },
        { digest: D2, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
        { digest: D2, platform: { os: "unknown", architecture: "unknown" } },
      ],
    });
    const platforms = platformsOfIndex(raw);
    expect(platforms).to.deep.equal([{ platform: "linux/amd64", digest: D1 }, { platform: "linux/arm64/v8", digest: D2 }]);
    const json = JSON.parse(formatPublishJson([
      { service: "wrk-base", repository: "ghcr.io/a/wrk-base", digests: [{ tag: "sha-0123456", digest: D1 }, { tag: "latest", digest: D1 }], platforms },
    ])) as unknown;
    expect(json).to.deep.equal({ services: [{ service: "wrk-base", repository: "ghcr.io/a/wrk-base", tags: ["sha-0123456", "latest"], indexDigest: D1, platforms }] });
  });

  it("refuses to give JSON for tags on different digests, or an index that is not one", () => {
    expect(() => formatPublishJson([{ service: "s", repository: "r/s", digests: [{ tag: "a", digest: D1 }, { tag: "b", digest: D2 }] }])).to.throw("different digests");
    expect(() => platformsOfIndex(JSON.stringify({ schemaVersion: 2, layers: [] }))).to.throw("not a multi-arch index");
    expect(() => platformsOfIndex(JSON.stringify({ manifests: [{ digest: "sha256:1", platform: { os: "linux", architecture: "amd64" } }] }))).to.throw("linux/amd64 without a sha256 digest");
  });
});

describe("stack wiring", () => {
  it("starts every service once: the orchestrator first, the gateway last", () => {
    expect(STACK_START_ORDER.flat()).to.have.members([...SERVICE_NAMES]);
    expect(STACK_START_ORDER.flat()).to.have.length(SERVICE_NAMES.length);
    expect(STACK_START_ORDER[0]).to.deep.equal(["wrk-ork"]);
    expect(STACK_START_ORDER.at(-1)).to.deep.equal(["app-node"]);
  });

  it("wires a service by its role, so a worker appended to the catalogue needs no code", () => {
    const text = JSON.stringify({
      node: { version: "24.21.0", npm: "11.19.0" },
      services: [
        { name: "wrk-ork", role: "orchestrator", grpcPort: 50051, httpPort: 9101, dataVolume: false, description: "d" },
        { name: "wrk-new", role: "worker", grpcPort: 50060, httpPort: 9110, dataVolume: false, description: "d" },
        { name: "app-node", role: "gateway", grpcPort: null, httpPort: 3000, dataVolume: false, description: "d" },
      ],
    });
    const catalogue = parseCatalogue(text);
    expect(startOrder(catalogue)).to.deep.equal([["wrk-ork"], ["wrk-new"], ["app-node"]]);
    expect(stackEnvironment(catalogue, "wrk-new")).to.include({ ORK_ADDR: "wrk-ork:50051", ADVERTISE_ADDR: "wrk-new:50060", GRPC_PORT: "50060" });
    expect(smokeTargets(catalogue).grpcTargets).to.deep.equal(["wrk-ork:50051", "wrk-new:50060"]);
  });

  it("points workers at the orchestrator and advertises them by service name", () => {
    expect(stackEnvironment(CATALOGUE, "wrk-book")).to.deep.equal({
      BIND_HOST: "0.0.0.0",
      HTTP_PORT: "9102",
      GRPC_PORT: "50052",
      LOG_LEVEL: "info",
      ORK_ADDR: "wrk-ork:50051",
      ADVERTISE_ADDR: "wrk-book:50052",
      TLS_CA_FILE: "/certs/ca.pem",
      TLS_CERT_FILE: "/certs/wrk-book.pem",
      TLS_KEY_FILE: "/certs/wrk-book-key.pem",
    });
    expect(stackEnvironment(CATALOGUE, "wrk-ork")).to.not.have.any.keys("ORK_ADDR", "ADVERTISE_ADDR");
    expect(stackEnvironment(CATALOGUE, "wrk-ork")).to.include({ GRPC_PORT: "50051", ORK_WARMUP_SECONDS: "0" });
    expect(stackEnvironment(CATALOGUE, "app-node")).to.include({ HTTP_PORT: "3000", ORK_ADDR: "wrk-ork:50051", API_TOKENS: `${SMOKE_API_TOKEN}:librarian` });
    expect(stackEnvironment(CATALOGUE, "app-node")).to.not.have.any.keys("GRPC_PORT", "ADVERTISE_ADDR");
  });

  it("exposes the ports of the contract", () => {
    expect(stackPorts(CATALOGUE, "app-node")).to.deep.equal([3000]);
    expect(stackPorts(CATALOGUE, "wrk-base")).to.deep.equal([50053, 9103]);
  });

  it("smoke-tests the gateway over HTTP and every gRPC server's health", () => {
    // A catalogue of its own: the repository's grows with every new worker.
    const targets = smokeTargets(
      parseCatalogue(
        JSON.stringify({
          node: { version: CATALOGUE.versions.node, npm: CATALOGUE.versions.npm },
          services: [
            { name: "wrk-base", role: "worker", grpcPort: 50053, httpPort: 9103, dataVolume: false, description: "d" },
            { name: "tpl-wrk-thing", role: "worker", grpcPort: 50054, httpPort: 9104, dataVolume: false, description: "d" },
            { name: "wrk-book", role: "worker", grpcPort: 50052, httpPort: 9102, dataVolume: false, description: "d" },
            { name: "wrk-ork", role: "orchestrator", grpcPort: 50051, httpPort: 9101, dataVolume: false, description: "d" },
            { name: "app-node", role: "gateway", grpcPort: null, httpPort: 3000, dataVolume: false, description: "d" },
          ],
        }),
      ),
    );
    expect(targets.appUrl).to.equal("http://app-node:3000");
    expect(targets.grpcTargets).to.deep.equal(["wrk-ork:50051", "wrk-base:50053", "tpl-wrk-thing:50054", "wrk-book:50052"]);
    expect(targets.workerAddresses).to.deep.equal(["wrk-base:50053", "tpl-wrk-thing:50054", "wrk-book:50052"]);
    expect(smokeEnvironment(targets)).to.deep.equal({
      SMOKE_APP_URL: "http://app-node:3000",
      SMOKE_GRPC_TARGETS: "wrk-ork:50051,wrk-base:50053,tpl-wrk-thing:50054,wrk-book:50052",
      SMOKE_WORKER_ADDRESSES: "wrk-base:50053,tpl-wrk-thing:50054,wrk-book:50052",
      SMOKE_API_TOKEN: SMOKE_API_TOKEN,
      TLS_CA_FILE: "/certs/ca.pem",
    });
  });

  it("gives every service a certificate that the images' certs tool makes with the stack's command", () => {
    // The command's options run on the tool itself (compose/local/certs.ts, bundled into every
    // image as /app/tools/certs.js), into a folder standing in for STACK_CERTS_OUT.
    const [node, tool, ...args] = STACK_CERTS_COMMAND;
    expect([node, tool]).to.deep.equal(["node", "/app/tools/certs.js"]);
    const out = mkdtempSync(join(tmpdir(), "bookstore-stack-certs-"));
    try {
      const options = args.map((arg) => (arg === STACK_CERTS_OUT ? out : arg));
      execFileSync(process.execPath, [fileURLToPath(new URL("../../compose/local/certs.ts", import.meta.url)), ...options], { stdio: "ignore", timeout: 60_000 });
      for (const service of SERVICE_NAMES) {
        const env = stackEnvironment(CATALOGUE, service);
        for (const setting of ["TLS_CA_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE"]) {
          const file = env[setting] ?? "";
          expect(file.startsWith(`${STACK_CERTS_DIR}/`), `${service} ${setting}`).to.equal(true);
          expect(existsSync(join(out, file.slice(STACK_CERTS_DIR.length))), `${service} ${setting} ${file}`).to.equal(true);
        }
        expect(env, service).to.not.have.property("TLS_INSECURE");
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
