// The workflow must stay thin: it checks out, runs the Dagger action (and may cache), nothing
// else. Everything a build does lives in the Dagger module.
import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { parse } from "yaml";

import { ciEnvironment, CI_VARIABLES } from "../module/src/lib/attest.js";

const ROOT = new URL("../../", import.meta.url);

/** The only actions a workflow step may use, each pinned to a full commit id. */
const ALLOWED_ACTIONS = new Set(["actions/checkout", "dagger/dagger-for-github", "actions/cache"]);

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number | boolean>;
}

interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string> | string;
  "timeout-minutes"?: number;
  steps: Step[];
}

interface Workflow {
  on: Record<string, { branches?: string[]; tags?: string[] } | null>;
  permissions: Record<string, string> | string;
  concurrency: { group: string; "cancel-in-progress": string | boolean };
  jobs: Record<string, Job>;
}

async function loadWorkflow(): Promise<Workflow> {
  return parse(await readFile(new URL(".github/workflows/ci.yml", ROOT), "utf8")) as Workflow;
}

async function engineVersion(): Promise<string> {
  const config = JSON.parse(await readFile(new URL("dagger.json", ROOT), "utf8")) as { engineVersion: string };
  return config.engineVersion;
}

function daggerSteps(workflow: Workflow): Array<{ job: string; step: Step }> {
  return Object.entries(workflow.jobs).flatMap(([job, j]) =>
    j.steps.filter((s) => s.uses?.startsWith("dagger/dagger-for-github@")).map((step) => ({ job, step })),
  );
}

/** Fails when any step runs a shell command or uses an action outside the allowed three. */
export function thinWorkflowViolations(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(workflow.jobs)) {
    for (const [i, step] of job.steps.entries()) {
      const where = `jobs.${name}.steps[${i}]`;
      if (step.run !== undefined) problems.push(`${where} runs a shell command`);
      if (step.uses === undefined) {
        problems.push(`${where} uses no action`);
        continue;
      }
      const [action, ref] = step.uses.split("@");
      if (action === undefined || !ALLOWED_ACTIONS.has(action)) problems.push(`${where} uses ${step.uses}`);
      if (ref === undefined || !/^[0-9a-f]{40}$/.test(ref)) problems.push(`${where} is not pinned to a commit: ${step.uses}`);
    }
  }
  return problems;
}

describe("the GitHub Actions workflow", () => {
  it("only checks out, caches and runs the Dagger action, each pinned to a commit", async () => {
    expect(thinWorkflowViolations(await loadWorkflow())).to.deep.equal([]);
  });

  it("the thinness check catches a shell step, an unknown action and a floating tag", () => {
    const workflow: Workflow = {
      on: {},
      permissions: {},
      concurrency: { group: "g", "cancel-in-progress": false },
      jobs: {
        a: {
          steps: [
            { run: "npm test" },
            { uses: "docker/build-push-action@0123456789012345678901234567890123456789" },
            { uses: "actions/checkout@v7" },
          ],
        },
      },
    };
    expect(thinWorkflowViolations(workflow)).to.deep.equal([
      "jobs.a.steps[0] runs a shell command",
      "jobs.a.steps[0] uses no action",
      "jobs.a.steps[1] uses docker/build-push-action@0123456789012345678901234567890123456789",
      "jobs.a.steps[2] is not pinned to a commit: actions/checkout@v7",
    ]);
  });

  it("runs the Dagger CLI of the engine version the module pins", async () => {
    const version = await engineVersion();
    const steps = daggerSteps(await loadWorkflow());
    expect(steps).to.have.length.greaterThan(0);
    for (const { step } of steps) expect(step.with?.version).to.equal(version);
  });

  it("checks pull requests and publishes pushes to main and dev and version tags", async () => {
    const workflow = await loadWorkflow();
    expect(workflow.on).to.have.all.keys("pull_request", "push");
    expect(workflow.on.push?.branches).to.have.members(["main", "dev"]);
    expect(workflow.on.push?.tags).to.deep.equal(["v*.*.*"]);
    const check = workflow.jobs.check?.steps.find((s) => s.uses?.startsWith("dagger/"))?.with;
    // v8.4.1 runs `dagger check` when `check` is set (its value is dropped), and only without `call`.
    expect(check?.check).to.be.a("string").and.not.equal("");
    expect(check).to.not.have.any.keys("call", "args", "verb");
    expect(workflow.jobs.check?.if).to.equal(undefined);
    const publish = workflow.jobs.publish;
    expect(publish?.if).to.equal("github.event_name == 'push'");
    expect(publish?.needs).to.deep.equal(["check", "images"]);
  });

  it("builds the affected images for both platforms and stack-tests them on every pull request and push", async () => {
    const images = (await loadWorkflow()).jobs.images;
    expect(images?.if).to.equal(undefined);
    expect(images?.needs).to.equal("check");
    const checkout = images?.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    // The merge base needs the history, not a shallow clone of one commit.
    expect(checkout?.with?.["fetch-depth"]).to.equal(0);
    const step = images?.steps.find((s) => s.uses?.startsWith("dagger/"));
    expect(step?.with?.call).to.equal('verify-images --base "$BASE"');
    // The pull request's base, else the push's before (all zeros on a new branch: the module builds everything).
    expect(step?.env?.BASE).to.equal("${{ github.event.pull_request.base.sha || github.event.before }}");
  });

  it("runs buf breaking against the base on every pull request, with the history checked out", async () => {
    const wire = (await loadWorkflow()).jobs.wire;
    expect(wire?.if).to.equal("github.event_name == 'pull_request'");
    expect(wire?.permissions).to.deep.equal({ contents: "read" });
    const checkout = wire?.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    // The merge base's proto/ comes from the history, not a shallow clone of one commit.
    expect(checkout?.with?.["fetch-depth"]).to.equal(0);
    const step = wire?.steps.find((s) => s.uses?.startsWith("dagger/"));
    expect(step?.with?.call).to.equal('breaking --base "$BASE"');
    expect(step?.env?.BASE).to.equal("${{ github.event.pull_request.base.sha }}");
  });

  it("gives the Dagger action only inputs v8.4.1 has, and turns its summary on in every step", async () => {
    // The inputs of dagger/dagger-for-github v8.4.1's action.yml (read from its source).
    const inputs = ["version", "commit", "dagger-flags", "verb", "workdir", "cloud-token", "module", "args", "engine-stop", "call", "shell", "check", "summary-path", "enable-github-summary"];
    for (const { job, step } of daggerSteps(await loadWorkflow())) {
      for (const key of Object.keys(step.with ?? {})) expect(inputs, `${job}: ${key}`).to.include(key);
      expect(step.with?.["enable-github-summary"], job).to.equal("true");
    }
  });

  it("passes branch, sha and the token through the step's env, never into the command text", async () => {
    const [step] = daggerSteps(await loadWorkflow()).filter((s) => s.job === "publish").map((s) => s.step);
    const call = step?.with?.call ?? "";
    expect(call).to.match(/^publish /);
    expect(call).not.to.include("${{");
    for (const flag of ['--branch "$BRANCH"', '--sha "$SHA"', '--git-tag "$GIT_TAG"', "--password env://REGISTRY_PASSWORD"]) {
      expect(call).to.include(flag);
    }
    expect(step?.env).to.include({
      REGISTRY_PASSWORD: "${{ secrets.GITHUB_TOKEN }}",
      SHA: "${{ github.sha }}",
      REGISTRY: "ghcr.io/${{ github.repository }}",
    });
    expect(step?.env?.BRANCH).to.include("github.ref_name");
  });

  it("attests what publish pushed, from publish's output, keyless with the job's OIDC request", async () => {
    const steps = daggerSteps(await loadWorkflow()).filter((s) => s.job === "publish").map((s) => s.step);
    const publish = steps.find((step) => step.with?.call?.toString().startsWith("publish "));
    const attest = steps.find((step) => step.with?.call?.toString().startsWith("attest "));
    expect(steps.indexOf(attest ?? {})).to.be.greaterThan(steps.indexOf(publish ?? {}));
    expect(attest?.env?.PUBLISHED).to.equal(`\${{ steps.${publish?.id ?? "?"}.outputs.output }}`);
    const call = String(attest?.with?.call ?? "");
    expect(call).not.to.include("${{");
    for (const flag of ['--published "$PUBLISHED"', "--password env://REGISTRY_PASSWORD", "--oidc-request-url env://ACTIONS_ID_TOKEN_REQUEST_URL", "--oidc-request-token env://ACTIONS_ID_TOKEN_REQUEST_TOKEN"]) {
      expect(call).to.include(flag);
    }
    // Every variable the provenance reads, from the runner's own environment.
    const ciEnv = /--ci-env "([^"]+)"/.exec(call)?.[1]?.split(",") ?? [];
    expect(ciEnv).to.deep.equal(CI_VARIABLES.map((name) => `${name}=$${name}`));
    expect(ciEnvironment(ciEnv)).to.have.all.keys(...CI_VARIABLES);
  });

  it("grants least privilege: read by default, package writes only where it publishes", async () => {
    const workflow = await loadWorkflow();
    expect(workflow.permissions).to.deep.equal({ contents: "read" });
    expect(workflow.jobs.check?.permissions).to.deep.equal({ contents: "read" });
    expect(workflow.jobs.publish?.permissions).to.deep.equal({ contents: "read", packages: "write", "id-token": "write" });
    // Only the publish job may ask for an OIDC token (keyless signing) or write packages.
    for (const [name, job] of Object.entries(workflow.jobs).filter(([name]) => name !== "publish")) {
      expect(job.permissions, name).to.deep.equal({ contents: "read" });
    }
    for (const job of Object.values(workflow.jobs)) expect(job["timeout-minutes"]).to.be.a("number");
  });

  it("runs one pipeline per pull request or ref, never cancelling a publish", async () => {
    const { concurrency } = await loadWorkflow();
    expect(concurrency.group).to.include("github.ref");
    expect(concurrency["cancel-in-progress"]).to.equal("${{ github.event_name == 'pull_request' }}");
  });

  it("does not keep the checkout's credentials for later steps", async () => {
    const workflow = await loadWorkflow();
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
        expect(step.with?.["persist-credentials"]).to.equal(false);
      }
    }
  });
});
