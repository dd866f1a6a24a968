// The pure parts of `attest`: publish's JSON checked before anything is pulled, the layout its
// inputs take in the node container, and which CI variables may reach it.
import { expect } from "chai";

import { ATTEST_COMMAND, ATTEST_INPUTS, ciEnvironment, CI_VARIABLES, parsePublished, platformInputs, registryHost } from "../module/src/lib/attest.js";
import { formatPublishJson } from "../module/src/lib/summary.js";
import { githubContext } from "../release/provenance.js";

const INDEX = `sha256:${"a".repeat(64)}`;
const AMD64 = `sha256:${"b".repeat(64)}`;
const ARM64 = `sha256:${"c".repeat(64)}`;

function publishJson(): string {
  return formatPublishJson([
    {
      service: "wrk-book",
      repository: "ghcr.io/acme/bookstore/wrk-book",
      digests: [{ tag: "sha-1a2b3c4", digest: INDEX }, { tag: "latest", digest: INDEX }],
      platforms: [{ platform: "linux/amd64", digest: AMD64 }, { platform: "linux/arm64", digest: ARM64 }],
    },
  ]);
}

describe("attest: its inputs", () => {
  it("reads what publish returns, unchanged", () => {
    expect(parsePublished(publishJson())).to.deep.equal([
      {
        service: "wrk-book",
        repository: "ghcr.io/acme/bookstore/wrk-book",
        tags: ["sha-1a2b3c4", "latest"],
        indexDigest: INDEX,
        platforms: [{ platform: "linux/amd64", digest: AMD64 }, { platform: "linux/arm64", digest: ARM64 }],
      },
    ]);
  });

  it("refuses JSON that is not publish's, saying what is missing", () => {
    const good = JSON.parse(publishJson()) as { services: Array<Record<string, unknown>> };
    const without = (key: string, value?: unknown): string => JSON.stringify({ services: [{ ...good.services[0], [key]: value }] });
    expect(() => parsePublished("not json")).to.throw("--published is not JSON");
    expect(() => parsePublished("{}")).to.throw('has no "services"');
    expect(() => parsePublished(without("indexDigest", "sha256:short"))).to.throw("has no sha256 index digest");
    expect(() => parsePublished(without("platforms", []))).to.throw("lists no platform images");
    expect(() => parsePublished(without("platforms", [{ platform: "linux/amd64", digest: "latest" }]))).to.throw("without os/arch and sha256 digest");
    expect(() => parsePublished(without("repository", "wrk-book"))).to.throw("has no repository host/path");
    expect(() => parsePublished(without("tags", []))).to.throw("has no tags");
    expect(() => parsePublished(without("service", "../etc"))).to.throw("has no service name");
  });

  it("lays each platform image out under the inputs folder, refusing names that would leave it", () => {
    expect(platformInputs("wrk-book", "arm64")).to.deep.equal({
      rootfs: "images/wrk-book/arm64/rootfs",
      bundleSbom: "images/wrk-book/arm64/bundle.cdx.json",
      config: "images/wrk-book/arm64/config.json",
    });
    expect(() => platformInputs("../x", "amd64")).to.throw("is not a service and architecture");
    expect(() => platformInputs("wrk-book", "arm64/../..")).to.throw("is not a service and architecture");
    expect(ATTEST_COMMAND).to.include(ATTEST_INPUTS);
  });

  it("takes the registry host from the repository", () => {
    expect(registryHost("ghcr.io/acme/bookstore/wrk-book")).to.equal("ghcr.io");
    expect(registryHost("127.0.0.1:5000/bookstore/wrk-book")).to.equal("127.0.0.1:5000");
  });

  it("passes only the CI variables the provenance reads, each once", () => {
    expect(ciEnvironment(["GITHUB_ACTIONS=true", "GITHUB_REF=refs/heads/main"])).to.deep.equal({ GITHUB_ACTIONS: "true", GITHUB_REF: "refs/heads/main" });
    expect(() => ciEnvironment(["GITHUB_TOKEN=ghs_x"])).to.throw("GITHUB_TOKEN is not one of");
    expect(() => ciEnvironment(["GITHUB_REF"])).to.throw("is not NAME=VALUE");
    expect(() => ciEnvironment(["GITHUB_REF=a", "GITHUB_REF=b"])).to.throw("given twice");
  });

  it("passes every variable the provenance needs: a run described by CI_VARIABLES alone is complete", () => {
    const env = Object.fromEntries(CI_VARIABLES.map((name) => [name, name === "GITHUB_ACTIONS" ? "true" : `value of ${name}`]));
    expect(githubContext(env)?.kind).to.equal("github-actions");
    // And each of them is needed: without one, githubContext says which.
    for (const name of CI_VARIABLES.filter((n) => n !== "GITHUB_ACTIONS" && n !== "RUNNER_ENVIRONMENT")) {
      expect(() => githubContext({ ...env, [name]: "" }), name).to.throw(name);
    }
  });
});
