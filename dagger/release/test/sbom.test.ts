// The SBOM of a real bundle (bundle.ts run here on wrk-base, so the esbuild plugin's own output)
// with this machine standing in for the image's root filesystem: its dpkg database and its node.
// The check against the "image" passes on the true facts and names each kind of difference.

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { expect } from "chai";

import { PACKAGE_DATABASES, osPackagesOf, parseApkInstalled, parseDpkgStatus } from "../os-packages.js";
import type { CdxDocumentJson, ImageFacts } from "../sbom.js";
import { imageSbom, sha256Hex, validateSbom } from "../sbom.js";
import type { ObservedImage } from "../sbom-check.js";
import { bundledCommonJsPackages, sbomMismatches } from "../sbom-check.js";

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PLATFORM = `linux/${process.arch === "arm64" ? "arm64" : "amd64"}`;

describe("dagger/release/sbom: an image's SBOM and its check against the image", function () {
  this.timeout(120_000);
  let out = "";
  let facts: ImageFacts;
  let observed: ObservedImage;

  before(async () => {
    out = await mkdtemp(join(tmpdir(), "bookstore-sbom-"));
    await execFileAsync(process.execPath, ["services/bundle.ts", "wrk-base", out], { cwd: ROOT, timeout: 90_000 });
    const bundle = await readFile(join(out, "app", "dist", "main.js"), "utf8");
    const certsTool = await readFile(join(out, "app", "tools", "certs.js"), "utf8");
    const node = await readFile(process.execPath);
    const osPackages = osPackagesOf(new Map([[PACKAGE_DATABASES.dpkg, await readFile(PACKAGE_DATABASES.dpkg, "utf8")]]));
    facts = {
      repository: "registry.example/bookstore/wrk-base",
      service: "wrk-base",
      platform: PLATFORM,
      version: "1.2.3",
      osPackages,
      distro: "debian-12",
      nodeVersion: process.versions.node,
      nodeSha256: sha256Hex(node),
      bundleSha256: sha256Hex(bundle),
      certsToolSha256: sha256Hex(certsTool),
      bundleBom: await readFile(join(out, "sbom", "bundle.cdx.json"), "utf8"),
    };
    observed = {
      nodeVersion: process.versions.node,
      nodeSha256: sha256Hex(node),
      bundle,
      certsTool,
      osPackages,
      lockfile: await readFile(join(ROOT, "package-lock.json"), "utf8"),
      platform: PLATFORM,
    };
  });
  after(async () => {
    await rm(out, { recursive: true, force: true });
  });

  const sbomWith = (change: (document: CdxDocumentJson) => CdxDocumentJson): string =>
    JSON.stringify(change(JSON.parse(imageSbom(facts)) as CdxDocumentJson));

  it("is valid CycloneDX 1.6 with the image, node, the bundle, its npm packages and the OS packages", async () => {
    const text = imageSbom(facts);
    await validateSbom(text);
    const sbom = JSON.parse(text) as CdxDocumentJson;
    expect(sbom.metadata?.component).to.include({ type: "container", name: facts.repository, version: "1.2.3" });
    const components = sbom.components ?? [];
    const named = (purl: string): string[] => components.filter((c) => c.purl?.startsWith(purl)).map((c) => `${c.group ? `${c.group}/` : ""}${c.name}`);
    // The service's packages (its workspace ones too: the service host and the wire contracts) and
    // the certs tool's (@peculiar/x509), from the one esbuild build.
    expect(named("pkg:npm/")).to.include.members(["@grpc/grpc-js", "pino", "prom-client", "@bookstore/wrk-base", "@bookstore/proto", "@peculiar/x509"]);
    expect(components.find((c) => c["bom-ref"] === "certs-tool")?.name).to.equal("certs.js");
    const grpc = components.find((c) => c.name === "grpc-js");
    expect(grpc?.licenses?.[0]?.license?.id).to.equal("Apache-2.0");
    expect(named("pkg:deb/debian/")).to.include("libc6");
    expect(named("pkg:deb/").length).to.equal(facts.osPackages.length);
    expect(components.find((c) => c.name === "node")?.version).to.equal(process.versions.node);
  });

  it("matches the contents it was made from", () => {
    expect(bundledCommonJsPackages(observed.bundle)).to.include("@grpc/grpc-js");
    expect(sbomMismatches(imageSbom(facts), observed)).to.deep.equal([]);
  });

  it("fails on another Node than the image runs", () => {
    expect(sbomMismatches(imageSbom({ ...facts, nodeVersion: "24.0.0" }), observed)).to.deep.equal([
      `node: the SBOM says 24.0.0, the image's node prints ${process.versions.node}`,
    ]);
  });

  it("fails on a package missing from the SBOM that is in the bundle", () => {
    const problems = sbomMismatches(sbomWith((d) => ({ ...d, components: d.components?.filter((c) => c.name !== "grpc-js") })), observed);
    expect(problems).to.deep.equal(["npm: @grpc/grpc-js is in the image's bundle but not in the SBOM"]);
  });

  it("fails on a version or licence the lockfile does not have", () => {
    const changed = sbomWith((d) => ({
      ...d,
      components: d.components?.map((c) => (c.name === "pino" ? { ...c, version: "0.0.1" } : c.name === "prom-client" ? { ...c, licenses: [{ license: { id: "MIT" } }] } : c)),
    }));
    const problems = sbomMismatches(changed, observed);
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/^npm: pino@0\.0\.1 is in the SBOM but the lockfile has \d/);
    expect(problems[1]).to.match(/^npm: prom-client@[\d.]+: the SBOM says licence MIT, the lockfile Apache-2\.0$/);
  });

  it("fails on another bundle, another platform, and OS packages that differ", () => {
    const [first, ...rest] = observed.osPackages;
    const problems = sbomMismatches(imageSbom(facts), {
      ...observed,
      bundle: `${observed.bundle}\n`,
      certsTool: `${observed.certsTool}\n`,
      platform: "linux/s390x",
      osPackages: [...rest, { type: "deb", name: "openssl", version: "9.9.9", arch: "amd64" }],
    });
    expect(problems).to.include(`platform: the SBOM says ${PLATFORM}, the image is linux/s390x`);
    expect(problems).to.include("bundle: the SBOM's hash is not that of /app/dist/main.js in the image");
    expect(problems).to.include("certs tool: the SBOM's hash is not that of /app/tools/certs.js in the image");
    expect(problems).to.include("os: openssl 9.9.9 amd64 is installed in the image but not in the SBOM");
    expect(problems).to.include(`os: ${first?.name} ${first?.version} ${first?.arch} is in the SBOM but not installed in the image`);
  });

  it("refuses another service's bundle SBOM", () => {
    expect(() => imageSbom({ ...facts, service: "wrk-ork" })).to.throw("does not list @bookstore/wrk-ork");
  });

  it("reads apk's database and skips dpkg records that are not installed", () => {
    const apk = "C:Q1abc=\nP:musl\nV:1.2.5-r10\nA:x86_64\nL:MIT\no:musl\n\nP:busybox-binsh\nV:1.37.0-r19\nA:x86_64\nL:GPL-2.0-only\no:busybox\n";
    expect(parseApkInstalled(apk)).to.deep.equal([
      { type: "apk", name: "musl", version: "1.2.5-r10", arch: "x86_64", licence: "MIT" },
      { type: "apk", name: "busybox-binsh", version: "1.37.0-r19", arch: "x86_64", source: "busybox", licence: "GPL-2.0-only" },
    ]);
    const dpkg = "Package: a\nStatus: deinstall ok config-files\nVersion: 1\nArchitecture: amd64\n\nPackage: b\nStatus: install ok installed\nSource: bsrc (2)\nVersion: 2\nArchitecture: all\nDescription: x\n more\n";
    expect(parseDpkgStatus(dpkg)).to.deep.equal([{ type: "deb", name: "b", version: "2", arch: "all", source: "bsrc" }]);
    expect(() => parseDpkgStatus("Package a\n")).to.throw('line 1: expected "key: value"');
  });
});
