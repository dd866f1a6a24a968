// SLSA v1 build provenance of one published image (its index digest), as an in-toto v1 statement.
// Under GitHub Actions it describes the workflow run the way @actions/attest does (the GitHub
// Actions workflow build type: the workflow, its repository and ref, the run, the builder); that
// package is not used because it reads the OIDC token, which exists only in a workflow, and pins
// an older @sigstore/sign. Elsewhere (the registry test here, a laptop) it says so: a local build
// type and builder, never a GitHub identity it does not have.

export const IN_TOTO_STATEMENT_V1 = "https://in-toto.io/Statement/v1";
export const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
export const GITHUB_WORKFLOW_BUILD_TYPE = "https://actions.github.io/buildtypes/workflow/v1";
/** This repository's build type for builds outside GitHub Actions (docs/releases.md describes it). */
export const LOCAL_BUILD_TYPE = "urn:bookstore:buildtype:local:v1";

export interface DigestSet {
  readonly sha256: string;
}
export interface ResourceDescriptor {
  readonly uri?: string;
  readonly name?: string;
  readonly digest: Readonly<Record<string, string>>;
}
export interface InTotoStatement<P> {
  readonly _type: typeof IN_TOTO_STATEMENT_V1;
  readonly subject: ReadonlyArray<{ readonly name: string; readonly digest: DigestSet }>;
  readonly predicateType: string;
  readonly predicate: P;
}
export interface SlsaProvenance {
  readonly buildDefinition: {
    readonly buildType: string;
    readonly externalParameters: Readonly<Record<string, unknown>>;
    readonly internalParameters?: Readonly<Record<string, unknown>>;
    readonly resolvedDependencies: readonly ResourceDescriptor[];
  };
  readonly runDetails: {
    readonly builder: { readonly id: string };
    readonly metadata: { readonly invocationId: string; readonly startedOn?: string; readonly finishedOn?: string };
  };
}

/** Who ran the build: a GitHub Actions workflow run, or a local run of the same code. */
export type BuildContext =
  | {
      readonly kind: "github-actions";
      readonly serverUrl: string;
      readonly repository: string;
      readonly repositoryId: string;
      readonly repositoryOwnerId: string;
      readonly ref: string;
      readonly sha: string;
      /** owner/repo/.github/workflows/ci.yml@refs/heads/main */
      readonly workflowRef: string;
      readonly eventName: string;
      readonly runId: string;
      readonly runAttempt: string;
      readonly runnerEnvironment: string;
    }
  | { readonly kind: "local"; readonly host: string; readonly sourceUri: string; readonly ref: string; readonly sha: string; readonly invocationId: string };

function need(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`provenance: ${name} is not set, though GITHUB_ACTIONS is`);
  return value;
}

/** The context of a GitHub Actions run from its default variables; undefined outside one. */
export function githubContext(env: NodeJS.ProcessEnv): BuildContext | undefined {
  if (env.GITHUB_ACTIONS !== "true") return undefined;
  return {
    kind: "github-actions",
    serverUrl: need(env, "GITHUB_SERVER_URL"),
    repository: need(env, "GITHUB_REPOSITORY"),
    repositoryId: need(env, "GITHUB_REPOSITORY_ID"),
    repositoryOwnerId: need(env, "GITHUB_REPOSITORY_OWNER_ID"),
    ref: need(env, "GITHUB_REF"),
    sha: need(env, "GITHUB_SHA"),
    workflowRef: need(env, "GITHUB_WORKFLOW_REF"),
    eventName: need(env, "GITHUB_EVENT_NAME"),
    runId: need(env, "GITHUB_RUN_ID"),
    runAttempt: need(env, "GITHUB_RUN_ATTEMPT"),
    runnerEnvironment: env.RUNNER_ENVIRONMENT ?? "github-hosted",
  };
}

export interface ProvenanceInput {
  /** The image's repository without tag, e.g. ghcr.io/owner/bookstore/wrk-book. */
  readonly repository: string;
  /** The index (manifest list) digest, sha256:<hex>. */
  readonly indexDigest: string;
  readonly context: BuildContext;
  /** What the build was asked for: service, platforms, build arguments. */
  readonly buildParameters: Readonly<Record<string, unknown>>;
  /** The base image when it is known by digest (name@sha256:...). */
  readonly baseImage?: string;
  readonly startedOn?: string;
  readonly finishedOn?: string;
}

function hexOf(digest: string, what: string): string {
  const match = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!match?.[1]) throw new Error(`provenance: ${what} "${digest}" is not a sha256 digest`);
  return match[1];
}

/** The in-toto statement with the SLSA v1 provenance of one image index. */
export function provenanceStatement(input: ProvenanceInput): InTotoStatement<SlsaProvenance> {
  const { context } = input;
  if (!/^[0-9a-f]{40}$/.test(context.sha)) throw new Error(`provenance: the revision "${context.sha}" is not a full git commit`);
  const dependencies: ResourceDescriptor[] = [];
  if (input.baseImage) {
    const at = input.baseImage.lastIndexOf("@");
    if (at < 0) throw new Error(`provenance: the base image "${input.baseImage}" is not pinned by digest`);
    dependencies.push({ uri: `pkg:docker/${input.baseImage.slice(0, at)}`, digest: { sha256: hexOf(input.baseImage.slice(at + 1), "the base image digest") } });
  }
  let predicate: SlsaProvenance;
  if (context.kind === "github-actions") {
    const repositoryUrl = `${context.serverUrl}/${context.repository}`;
    const [workflowPath] = context.workflowRef.replace(`${context.repository}/`, "").split("@");
    predicate = {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: { workflow: { ref: context.ref, repository: repositoryUrl, path: workflowPath }, build: input.buildParameters },
        internalParameters: {
          github: {
            event_name: context.eventName,
            repository_id: context.repositoryId,
            repository_owner_id: context.repositoryOwnerId,
            runner_environment: context.runnerEnvironment,
          },
        },
        resolvedDependencies: [{ uri: `git+${repositoryUrl}@${context.ref}`, digest: { gitCommit: context.sha } }, ...dependencies],
      },
      runDetails: {
        builder: { id: `${context.serverUrl}/${context.workflowRef}` },
        metadata: {
          invocationId: `${repositoryUrl}/actions/runs/${context.runId}/attempts/${context.runAttempt}`,
          ...(input.startedOn ? { startedOn: input.startedOn } : {}),
          ...(input.finishedOn ? { finishedOn: input.finishedOn } : {}),
        },
      },
    };
  } else {
    predicate = {
      buildDefinition: {
        buildType: LOCAL_BUILD_TYPE,
        externalParameters: { source: { uri: context.sourceUri, ref: context.ref }, build: input.buildParameters },
        resolvedDependencies: [{ uri: `git+${context.sourceUri}@${context.ref}`, digest: { gitCommit: context.sha } }, ...dependencies],
      },
      runDetails: {
        builder: { id: `urn:bookstore:builder:local:${context.host}` },
        metadata: {
          invocationId: context.invocationId,
          ...(input.startedOn ? { startedOn: input.startedOn } : {}),
          ...(input.finishedOn ? { finishedOn: input.finishedOn } : {}),
        },
      },
    };
  }
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: input.repository, digest: { sha256: hexOf(input.indexDigest, "the index digest") } }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate,
  };
}
