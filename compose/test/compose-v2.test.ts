// The compose file checked the way Compose v2 checks it before it creates anything: loaded and
// interpolated (compose-load.ts), validated against the Compose Specification schema
// (compose-schema.ts) and held to compose-go's consistency rules (compose-rules.ts).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { COMPOSE_FILE, ENV_EXAMPLE } from "../local/kit/testing/stack-paths.js";
import { interpolate, loadComposeDict, MissingVariableError, readEnvFile } from "./compose-load.js";
import { composeProject } from "./compose-model.js";
import { consistencyErrors, ramInBytes } from "./compose-rules.js";
import { schemaErrors } from "./compose-schema.js";

/** What an operator must set (compose/.env.example shows it); nothing else from the caller. */
const REQUIRED_ENV = { API_TOKENS: "test-token:librarian" };

function check(file: string, env: Record<string, string>): { schema: string[]; consistency: string[] } {
  const dict = loadComposeDict(file, env);
  return { schema: schemaErrors(dict), consistency: consistencyErrors(composeProject(dict, join(file, "..")), dict) };
}

describe("compose file, Compose v2's checks", function () {
  describe("compose/docker-compose.yml", function () {
    it("is valid under the Compose Specification schema", function () {
      expect(check(COMPOSE_FILE, REQUIRED_ENV).schema).to.deep.equal([]);
    });

    it("keeps compose-go's consistency rules", function () {
      expect(check(COMPOSE_FILE, REQUIRED_ENV).consistency).to.deep.equal([]);
    });

    it("passes both with compose/.env.example as its .env", function () {
      expect(check(COMPOSE_FILE, readEnvFile(ENV_EXAMPLE))).to.deep.equal({ schema: [], consistency: [] });
    });
  });

  describe("the checks reject what Compose v2 rejects", function () {
    let dir: string;
    before(async function () {
      dir = await mkdtemp(join(tmpdir(), "compose-v2-"));
    });
    after(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    async function errorsOf(yaml: string): Promise<string[]> {
      const file = join(dir, "docker-compose.yml");
      await writeFile(file, yaml);
      const { schema, consistency } = check(file, {});
      return [...schema, ...consistency];
    }

    const ok = "services:\n  a:\n    image: busybox\n";

    it("accepts a minimal file", async function () {
      expect(await errorsOf(ok)).to.deep.equal([]);
    });

    it("a key the specification does not know, and a value of the wrong type", async function () {
      expect(await errorsOf(`${ok}    pids_limt: 5\n`)).to.deep.include("services.a: must NOT have additional properties 'pids_limt'");
      expect((await errorsOf(`${ok}    init: [1]\n`)).join("\n")).to.contain("services.a.init");
      expect((await errorsOf(`${ok}    ports: 3000\n`)).join("\n")).to.contain("services.a.ports: must be array");
    });

    it("pids_limit beside deploy limits without the same pids (issue 16)", async function () {
      const file = `${ok}    pids_limit: 256\n    deploy:\n      resources:\n        limits:\n          memory: 256M\n`;
      expect(await errorsOf(file)).to.deep.equal(["services.a: can't set distinct values on 'pids_limit' and 'deploy.resources.limits.pids': invalid compose project"]);
      expect(await errorsOf(file.replace("memory: 256M", "memory: 256M\n          pids: 256"))).to.deep.equal([]);
    });

    it("mem_limit and cpus beside different deploy limits", async function () {
      const file = `${ok}    mem_limit: 512m\n    cpus: 0.5\n    deploy:\n      resources:\n        limits:\n          memory: 256M\n          cpus: "0.5"\n`;
      expect(await errorsOf(file)).to.deep.equal(["services.a: can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory': invalid compose project"]);
      expect(ramInBytes("256M")).to.equal(ramInBytes("0.25g"));
    });

    it("a dependency, network or volume that is not defined", async function () {
      const errors = await errorsOf(`${ok}    depends_on: [b]\n    networks: [n]\n    volumes: ["data:/data", "./here:/here"]\n`);
      expect(errors).to.have.members([
        'service "a" depends on undefined service "b": invalid compose project',
        'service "a" refers to undefined network n: invalid compose project',
        'service "a" refers to undefined volume data: invalid compose project',
      ]);
    });

    it("a dependency cycle", async function () {
      const errors = await errorsOf("services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n");
      expect(errors).to.deep.equal(["dependency cycle detected: a -> b -> a"]);
    });

    it("two mounts on one target, and a health check that is not CMD, CMD-SHELL or NONE", async function () {
      const errors = await errorsOf(`${ok}    tmpfs: /tmp\n    volumes: ["v:/tmp"]\n    healthcheck:\n      test: ["RUN", "true"]\nvolumes:\n  v: {}\n`);
      expect(errors).to.have.members(["services.a.volumes[0]: target /tmp already mounted as services.a.tmpfs[0]", 'healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"']);
    });

    it("an external volume with other settings, a secret with no source", async function () {
      const errors = await errorsOf(`${ok}volumes:\n  v:\n    external: true\n    driver: local\nsecrets:\n  s: {}\n`);
      expect(errors).to.include.members(['volumes.v: conflicting parameters "external" and "driver" specified', "secrets.s: one of file|environment must be set"]);
    });

    it("a service with neither image nor build, and a project name compose would rewrite", async function () {
      const errors = await errorsOf("name: Book Store\nservices:\n  a:\n    init: true\n");
      expect(errors.join("\n")).to.contain('service "a" has neither an image nor a build context specified');
      expect(errors.join("\n")).to.contain('invalid project name "Book Store"');
    });
  });

  describe("interpolation, as compose-go's template package does it", function () {
    const env = { SET: "x", EMPTY: "" };

    it("defaults, alternatives and $$", function () {
      expect(interpolate("${SET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d} ${UNSET}", env)).to.equal("x d  d ");
      expect(interpolate("${SET:+alt} ${EMPTY:+alt} ${EMPTY+alt} $SET $$SET ${UNSET:-${SET}}", env)).to.equal("alt  alt x $SET x");
    });

    it("a required variable without a value stops the load, with compose's message", function () {
      expect(() => interpolate("${EMPTY:?set it in compose/.env}", env)).to.throw(MissingVariableError, "required variable EMPTY is missing a value: set it in compose/.env");
      expect(interpolate("${EMPTY?no}", env)).to.equal("");
      expect(() => interpolate("${UNSET?no}", env)).to.throw(MissingVariableError);
    });

    it("refuses a template it cannot read", function () {
      expect(() => interpolate("${SET", env)).to.throw("Invalid template");
      expect(() => interpolate("${1X}", env)).to.throw("Invalid template");
    });
  });
});
