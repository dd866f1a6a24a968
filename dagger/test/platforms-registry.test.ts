import { expect } from "chai";

import { imageTitle } from "../module/src/lib/image-recipe.js";
import { createdTimestamp, ociAnnotations, ociBuildArgs } from "../module/src/lib/oci.js";
import { architectureOf, DEFAULT_PLATFORMS, parsePlatform, parsePlatforms } from "../module/src/lib/platforms.js";
import { digestOf, imageReference, imageRepository, parseImageRegistry, promoteArguments } from "../module/src/lib/image-registry.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("platforms", () => {
  it("defaults to linux/amd64 and linux/arm64", () => {
    expect(parsePlatforms([])).to.deep.equal(["linux/amd64", "linux/arm64"]);
    expect(parsePlatforms(["", " "])).to.deep.equal([...DEFAULT_PLATFORMS]);
  });

  it("validates, deduplicates and orders what is asked for", () => {
    expect(parsePlatforms(["linux/arm64"])).to.deep.equal(["linux/arm64"]);
    expect(parsePlatforms(["linux/arm64", "LINUX/AMD64", "linux/arm64/v8"])).to.deep.equal(["linux/amd64", "linux/arm64"]);
    expect(parsePlatforms(["linux/arm64,linux/amd64"])).to.deep.equal(["linux/amd64", "linux/arm64"]);
    expect(() => parsePlatforms(["linux/s390x"])).to.throw(/unsupported platform "linux\/s390x"/);
    expect(() => parsePlatforms(["windows/amd64"])).to.throw(/expected one of linux\/amd64, linux\/arm64/);
  });

  it("uses the engine's platform when none is given for a single build", () => {
    expect(parsePlatform("", "linux/arm64")).to.equal("linux/arm64");
    expect(parsePlatform("", "linux/amd64")).to.equal("linux/amd64");
    expect(parsePlatform("linux/arm64", "linux/amd64")).to.equal("linux/arm64");
    expect(() => parsePlatform("", "darwin/arm64")).to.throw(/unsupported platform/);
    expect(architectureOf("linux/arm64")).to.equal("arm64");
  });
});

describe("registry names", () => {
  it("splits host and namespace and lowers the namespace", () => {
    expect(parseImageRegistry("ghcr.io/Acme-Org/bookstore")).to.deep.equal({ host: "ghcr.io", namespace: "acme-org/bookstore" });
    expect(parseImageRegistry("127.0.0.1:5000")).to.deep.equal({ host: "127.0.0.1:5000", namespace: "" });
    expect(parseImageRegistry("https://localhost:5000/x/")).to.deep.equal({ host: "localhost:5000", namespace: "x" });
  });

  it("refuses a registry without host or with invalid path parts", () => {
    expect(() => parseImageRegistry("acme/bookstore")).to.throw(/must start with a registry host/);
    expect(() => parseImageRegistry("")).to.throw(/must start with a registry host/);
    expect(() => parseImageRegistry("ghcr.io/acme!/x")).to.throw(/"acme!" is not a valid repository path component/);
    expect(() => parseImageRegistry("ghcr.io/-acme")).to.throw(/not a valid repository path component/);
  });

  it("names one repository per service", () => {
    expect(imageRepository("ghcr.io/Acme/bookstore", "wrk-base")).to.equal("ghcr.io/acme/bookstore/wrk-base");
    expect(imageRepository("127.0.0.1:5000", "app-node")).to.equal("127.0.0.1:5000/app-node");
    expect(() => imageRepository(`ghcr.io/${"a".repeat(260)}`, "wrk-base")).to.throw(/longer than 255/);
  });

  it("builds references only from valid tags", () => {
    expect(imageReference("ghcr.io/a/wrk-base", "sha-0123456")).to.equal("ghcr.io/a/wrk-base:sha-0123456");
    expect(() => imageReference("ghcr.io/a/wrk-base", "feature/x")).to.throw(/not a valid image tag/);
    expect(() => imageReference("ghcr.io/a/wrk-base", "x".repeat(129))).to.throw(/not a valid image tag/);
  });

  it("reads the digest from what a push answers", () => {
    expect(digestOf(`ghcr.io/a/wrk-base:latest@${DIGEST}`)).to.equal(DIGEST);
    expect(() => digestOf("ghcr.io/a/wrk-base:latest")).to.throw(/no sha256 digest/);
  });

  it("moves a tag with skopeo, keeping every platform and the exact digest", () => {
    expect(promoteArguments("127.0.0.1:5000/wrk-base", "sha-0123456", "latest", { insecure: true, timeoutSeconds: 60 })).to.deep.equal([
      "--command-timeout=60s",
      "copy",
      "--all",
      "--preserve-digests",
      "--retry-times",
      "3",
      "--src-tls-verify=false",
      "--dest-tls-verify=false",
      "docker://127.0.0.1:5000/wrk-base:sha-0123456",
      "docker://127.0.0.1:5000/wrk-base:latest",
    ]);
    expect(promoteArguments("ghcr.io/a/x", "sha-0123456", "latest", { authfile: "/tmp/auth.json" })).to.include.members([
      "--authfile",
      "/tmp/auth.json",
    ]);
    expect(() => promoteArguments("ghcr.io/a/x", "latest", "latest")).to.throw(/same tag/);
    expect(() => promoteArguments("ghcr.io/a/x", "sha-0123456", "bad/tag")).to.throw(/not a valid image tag/);
  });
});

describe("OCI build arguments", () => {
  const meta = {
    source: "https://github.com/acme/bookstore",
    revision: "0123456789abcdef0123456789abcdef01234567",
    version: "1.2.3",
    created: "2026-01-31T12:00:00Z",
  };

  it("fills the four build arguments the image recipe turns into labels", () => {
    expect(ociBuildArgs(meta)).to.deep.equal([
      { name: "OCI_SOURCE", value: meta.source },
      { name: "OCI_REVISION", value: meta.revision },
      { name: "OCI_VERSION", value: "1.2.3" },
      { name: "OCI_CREATED", value: "2026-01-31T12:00:00Z" },
    ]);
  });

  it("annotates a published image with the labels' facts, as docker/metadata-action does", () => {
    const image = { title: imageTitle("wrk-book"), description: "Bookstore book worker" };
    expect(ociAnnotations(image, meta)).to.deep.equal([
      { name: "org.opencontainers.image.title", value: "bookstore-wrk-book" },
      { name: "org.opencontainers.image.description", value: "Bookstore book worker" },
      { name: "org.opencontainers.image.source", value: meta.source },
      { name: "org.opencontainers.image.url", value: meta.source },
      { name: "org.opencontainers.image.revision", value: meta.revision },
      { name: "org.opencontainers.image.version", value: "1.2.3" },
      { name: "org.opencontainers.image.created", value: "2026-01-31T12:00:00Z" },
    ]);
    expect(ociAnnotations(image, { ...meta, source: "" }).map((a) => a.name)).to.not.include("org.opencontainers.image.source");
    expect(() => ociAnnotations(image, { ...meta, revision: "HEAD" })).to.throw(/commit id/);
  });

  it("leaves an unknown source to the Dockerfile's default", () => {
    expect(ociBuildArgs({ ...meta, source: "" }).map((a) => a.name)).to.deep.equal(["OCI_REVISION", "OCI_VERSION", "OCI_CREATED"]);
  });

  it("rejects bad metadata with a clear message", () => {
    expect(() => ociBuildArgs({ ...meta, source: "github.com/acme" })).to.throw(/http\(s\) URL/);
    expect(() => ociBuildArgs({ ...meta, revision: "HEAD" })).to.throw(/commit id/);
    expect(() => ociBuildArgs({ ...meta, version: " " })).to.throw(/version is empty/);
    expect(() => ociBuildArgs({ ...meta, created: "yesterday" })).to.throw(/RFC 3339/);
    expect(() => ociBuildArgs({ ...meta, created: "2026-13-45T99:00:00Z" })).to.throw(/RFC 3339/);
  });

  it("records the given time, else now without milliseconds", () => {
    expect(createdTimestamp("2026-01-31T12:00:00+01:00", new Date(0))).to.equal("2026-01-31T12:00:00+01:00");
    expect(createdTimestamp("", new Date("2026-02-03T04:05:06.789Z"))).to.equal("2026-02-03T04:05:06Z");
  });
});
