// SLSA v1 provenance of an image index: under GitHub Actions from the run's own variables, the
// shape @actions/attest gives; elsewhere a local build type that claims no GitHub identity.

import { expect } from "chai";

import { GITHUB_WORKFLOW_BUILD_TYPE, IN_TOTO_STATEMENT_V1, LOCAL_BUILD_TYPE, SLSA_PROVENANCE_V1, githubContext, provenanceStatement } from "../provenance.js";

const SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5";
const INDEX = `sha256:${"ab".repeat(32)}`;
const BASE = `docker.io/library/node:24.21.0-alpine@sha256:${"cd".repeat(32)}`;
const ACTIONS_ENV = {
  GITHUB_ACTIONS: "true",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "owner/bookstore",
  GITHUB_REPOSITORY_ID: "42",
  GITHUB_REPOSITORY_OWNER_ID: "7",
  GITHUB_REF: "refs/heads/main",
  GITHUB_SHA: SHA,
  GITHUB_WORKFLOW_REF: "owner/bookstore/.github/workflows/ci.yml@refs/heads/main",
  GITHUB_EVENT_NAME: "push",
  GITHUB_RUN_ID: "1001",
  GITHUB_RUN_ATTEMPT: "2",
};

describe("dagger/release/provenance: SLSA v1 provenance per image index", () => {
  const build = { service: "wrk-book", platforms: ["linux/amd64", "linux/arm64"], buildArgs: { OCI_VERSION: "1.2.3" } };

  it("describes a GitHub Actions run: workflow, source commit, builder, run, base image", () => {
    const context = githubContext(ACTIONS_ENV);
    if (!context) throw new Error("no context");
    const statement = provenanceStatement({ repository: "ghcr.io/owner/bookstore/wrk-book", indexDigest: INDEX, context, buildParameters: build, baseImage: BASE });
    expect(statement._type).to.equal(IN_TOTO_STATEMENT_V1);
    expect(statement.predicateType).to.equal(SLSA_PROVENANCE_V1);
    expect(statement.subject).to.deep.equal([{ name: "ghcr.io/owner/bookstore/wrk-book", digest: { sha256: "ab".repeat(32) } }]);
    const { buildDefinition, runDetails } = statement.predicate;
    expect(buildDefinition.buildType).to.equal(GITHUB_WORKFLOW_BUILD_TYPE);
    expect(buildDefinition.externalParameters).to.deep.equal({
      workflow: { ref: "refs/heads/main", repository: "https://github.com/owner/bookstore", path: ".github/workflows/ci.yml" },
      build,
    });
    expect(buildDefinition.resolvedDependencies).to.deep.equal([
      { uri: "git+https://github.com/owner/bookstore@refs/heads/main", digest: { gitCommit: SHA } },
      { uri: "pkg:docker/docker.io/library/node:24.21.0-alpine", digest: { sha256: "cd".repeat(32) } },
    ]);
    expect(runDetails.builder.id).to.equal("https://github.com/owner/bookstore/.github/workflows/ci.yml@refs/heads/main");
    expect(runDetails.metadata.invocationId).to.equal("https://github.com/owner/bookstore/actions/runs/1001/attempts/2");
  });

  it("outside GitHub Actions says it is a local build", () => {
    expect(githubContext({})).to.equal(undefined);
    const statement = provenanceStatement({
      repository: "127.0.0.1:5000/bookstore/wrk-book",
      indexDigest: INDEX,
      context: { kind: "local", host: "ci-box", sourceUri: "https://example.invalid/bookstore", ref: "refs/heads/main", sha: SHA, invocationId: "registry-test-1" },
      buildParameters: build,
    });
    expect(statement.predicate.buildDefinition.buildType).to.equal(LOCAL_BUILD_TYPE);
    expect(statement.predicate.runDetails.builder.id).to.equal("urn:bookstore:builder:local:ci-box");
    expect(JSON.stringify(statement)).not.to.contain("github");
  });

  it("refuses what it cannot vouch for: a missing run variable, a short sha, a digest that is not one, a base without digest", () => {
    const { GITHUB_RUN_ID: _omitted, ...noRun } = ACTIONS_ENV;
    expect(() => githubContext(noRun)).to.throw("GITHUB_RUN_ID is not set");
    const context = githubContext(ACTIONS_ENV);
    if (!context) throw new Error("no context");
    const input = { repository: "r", indexDigest: INDEX, context, buildParameters: build };
    expect(() => provenanceStatement({ ...input, context: { ...context, sha: "1a2b3c4" } })).to.throw('"1a2b3c4" is not a full git commit');
    expect(() => provenanceStatement({ ...input, indexDigest: "sha256:xyz" })).to.throw("is not a sha256 digest");
    expect(() => provenanceStatement({ ...input, baseImage: "node:24-alpine" })).to.throw("not pinned by digest");
  });
});
