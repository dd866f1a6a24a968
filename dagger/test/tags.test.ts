import { expect } from "chai";

import {
  branchTag,
  computeTags,
  isImmutableTag,
  isValidTag,
  MAX_TAG_LENGTH,
  normalizeBranch,
  parseVersionTag,
  shortSha,
  toValidTag,
  versionLabel,
  versionTags,
} from "../module/src/lib/tags.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("tags", () => {
  describe("shortSha", () => {
    it("keeps the first 7 characters, lower case", () => {
      expect(shortSha(SHA)).to.equal("0123456");
      expect(shortSha("ABCDEF0123")).to.equal("abcdef0");
    });

    it("rejects what is not a commit id", () => {
      expect(() => shortSha("")).to.throw(/not a commit id/);
      expect(() => shortSha("abc12")).to.throw(/7 to 40/);
      expect(() => shortSha("xyz1234567")).to.throw(/not a commit id/);
      expect(() => shortSha("a".repeat(41))).to.throw(/not a commit id/);
    });
  });

  describe("branch tags", () => {
    it("maps main to latest and dev to development", () => {
      expect(branchTag("main", SHA)).to.equal("latest");
      expect(branchTag("dev", SHA)).to.equal("development");
    });

    it("maps any other branch to alpha-<short sha>", () => {
      expect(branchTag("feature/search", SHA)).to.equal("alpha-0123456");
      expect(branchTag("Main", SHA)).to.equal("alpha-0123456");
      expect(branchTag("develop", SHA)).to.equal("alpha-0123456");
    });

    it("accepts full ref names and refuses tags given as a branch", () => {
      expect(normalizeBranch("refs/heads/main")).to.equal("main");
      expect(branchTag("refs/heads/dev", SHA)).to.equal("development");
      expect(() => normalizeBranch("refs/tags/v1.2.3")).to.throw(/--git-tag/);
    });
  });

  describe("version tags", () => {
    it("turns v1.2.3 into 1.2.3, 1.2 and 1", () => {
      expect(versionTags("v1.2.3")).to.deep.equal(["1.2.3", "1.2", "1"]);
      expect(versionTags("1.2.3")).to.deep.equal(["1.2.3", "1.2", "1"]);
      expect(versionTags("refs/tags/v10.20.30")).to.deep.equal(["10.20.30", "10.20", "10"]);
      // No bare 0: 0.x releases make no promise across minors.
      expect(versionTags("v0.4.1")).to.deep.equal(["0.4.1", "0.4"]);
    });

    it("gives a pre-release only its full version, so 1.2 and 1 keep pointing at a release", () => {
      expect(versionTags("v1.2.3-rc.1")).to.deep.equal(["1.2.3-rc.1"]);
    });

    it("replaces the + of build metadata, which is not allowed in a tag", () => {
      expect(versionTags("v1.2.3+build.5")).to.deep.equal(["1.2.3-build.5", "1.2", "1"]);
    });

    it("rejects anything that is not a semantic version", () => {
      for (const bad of ["v1.2", "release-1", "v01.2.3", "v1.2.3.4", "", "vx.y.z"]) {
        expect(parseVersionTag(bad), bad).to.equal(null);
        expect(() => versionTags(bad), bad).to.throw(/not a version tag/);
      }
    });
  });

  describe("computeTags", () => {
    it("main: the immutable sha tag first, then latest", () => {
      expect(computeTags({ branch: "main", sha: SHA })).to.deep.equal(["sha-0123456", "latest"]);
    });

    it("dev: sha tag and development", () => {
      expect(computeTags({ branch: "dev", sha: SHA })).to.deep.equal(["sha-0123456", "development"]);
    });

    it("another branch: sha tag and alpha tag", () => {
      expect(computeTags({ branch: "fix/login", sha: SHA })).to.deep.equal(["sha-0123456", "alpha-0123456"]);
    });

    it("a version tag without a branch: sha tag and the three version tags", () => {
      expect(computeTags({ branch: "", sha: SHA, gitTag: "v2.0.1" })).to.deep.equal(["sha-0123456", "2.0.1", "2.0", "2"]);
    });

    it("a version tag on main: both sets", () => {
      expect(computeTags({ branch: "main", sha: SHA, gitTag: "v2.0.1" })).to.deep.equal([
        "sha-0123456",
        "2.0.1",
        "2.0",
        "2",
        "latest",
      ]);
    });

    it("needs a branch or a version tag, and a valid commit", () => {
      expect(() => computeTags({ branch: "", sha: SHA })).to.throw(/branch or a version tag/);
      expect(() => computeTags({ branch: "main", sha: "nope" })).to.throw(/not a commit id/);
      expect(() => computeTags({ branch: "", sha: SHA, gitTag: "nightly" })).to.throw(/not a version tag/);
    });

    it("only ever produces valid tags of at most 128 characters", () => {
      const longPre = `v1.0.0-${"a".repeat(300)}`;
      const tags = computeTags({ branch: "feature/" + "x".repeat(300), sha: SHA, gitTag: longPre });
      for (const tag of tags) {
        expect(isValidTag(tag), tag).to.equal(true);
        expect(tag.length).to.be.at.most(MAX_TAG_LENGTH);
      }
      expect(tags[1]).to.have.length(MAX_TAG_LENGTH);
    });
  });

  describe("toValidTag", () => {
    it("replaces invalid characters and strips leading dots and dashes", () => {
      expect(toValidTag("feature/Some thing")).to.equal("feature-Some-thing");
      expect(toValidTag("..-x")).to.equal("x");
      expect(toValidTag("a".repeat(200))).to.have.length(128);
    });

    it("refuses text with nothing usable", () => {
      expect(() => toValidTag("...")).to.throw(/cannot make an image tag/);
      expect(() => toValidTag("")).to.throw(/cannot make an image tag/);
    });
  });

  it("knows which tags never move", () => {
    expect(isImmutableTag("sha-0123456")).to.equal(true);
    expect(isImmutableTag("1.2.3")).to.equal(true);
    expect(isImmutableTag("1.2.3-rc.1")).to.equal(true);
    expect(isImmutableTag("1.2")).to.equal(false);
    expect(isImmutableTag("latest")).to.equal(false);
    expect(isImmutableTag("alpha-0123456")).to.equal(false);
  });

  it("labels a release with its version and any other build with its sha tag", () => {
    expect(versionLabel({ branch: "", sha: SHA, gitTag: "v3.1.4" })).to.equal("3.1.4");
    expect(versionLabel({ branch: "main", sha: SHA })).to.equal("sha-0123456");
  });
});
