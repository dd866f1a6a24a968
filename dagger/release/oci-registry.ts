// The few calls of the OCI distribution API that attaching and finding attestations needs: blobs
// and manifests in and out, and the referrers of a digest. Registries without the referrers API
// (Debian's docker-registry, distribution 2.x) get the tag-schema fallback of the OCI 1.1
// distribution spec: an index under the tag `sha256-<hex>` that lists the referrers.
// Every response is checked against the digest asked for; every request has a deadline.
// Registries that want a login (GHCR) answer 401 with a WWW-Authenticate challenge: Basic, or
// Bearer with a token service (the distribution token protocol), which trades the credentials for
// a token of the scope the challenge names.

import { createHash } from "node:crypto";
import { request as httpsRequest } from "node:https";

import { parse as parseChallenge } from "auth-header";

export const MEDIA_TYPES = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  empty: "application/vnd.oci.empty.v1+json",
} as const;
const ACCEPT_MANIFESTS = [MEDIA_TYPES.index, MEDIA_TYPES.manifest, MEDIA_TYPES.dockerList, MEDIA_TYPES.dockerManifest].join(", ");
/** The empty JSON object every artifact manifest uses as its config (OCI image spec 1.1). */
const EMPTY_CONFIG = Buffer.from("{}");

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
}

export interface RegistryEndpoint {
  /** https://host[:port] */
  readonly baseUrl: string;
  /** A PEM root to trust instead of the system's (the loopback registry's own certificate). */
  readonly ca?: string;
  /** An Authorization header value, when the registry wants one. */
  readonly authorization?: string;
  /** A login (GHCR: the actor and a token), used when the registry challenges a request. */
  readonly credentials?: { readonly username: string; readonly password: string };
  readonly timeoutMs?: number;
}

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function send(url: URL, method: string, headers: Record<string, string>, timeoutMs: number, ca: string | undefined, body?: Buffer): Promise<Answer> {
  const allHeaders = { ...headers, ...(body ? { "content-length": String(body.length) } : {}) };
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { method, headers: allHeaders, timeout: timeoutMs, ...(ca ? { ca } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`${method} ${url.href}: no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}

/** The Authorization header each endpoint last earned from a challenge: reused until refused. */
const earned = new WeakMap<RegistryEndpoint, string>();

/** Answers a 401's challenge with the endpoint's credentials: a Basic header, or a Bearer token from the token service. */
export async function authorizationFor(endpoint: RegistryEndpoint, challenge: string): Promise<string> {
  const credentials = endpoint.credentials;
  if (!credentials) throw new Error(`the registry asks for a login (${challenge}), and none was given`);
  const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
  const parsed = parseChallenge(challenge);
  const scheme = parsed.scheme.toLowerCase();
  if (scheme === "basic") return basic;
  if (scheme !== "bearer") throw new Error(`the registry asks for ${parsed.scheme} authentication, which this client does not speak`);
  const param = (name: string): string | undefined => {
    const value = parsed.params[name];
    return Array.isArray(value) ? value.join(",") : value;
  };
  const realm = param("realm");
  if (!realm) throw new Error(`the registry's Bearer challenge names no token service: ${challenge}`);
  const url = new URL(realm);
  if (url.protocol !== "https:") throw new Error(`the registry's token service ${realm} is not https: the credentials are not sent there`);
  for (const name of ["service", "scope"]) {
    const value = param(name);
    if (value) url.searchParams.set(name, value);
  }
  const timeoutMs = endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const answer = await send(url, "GET", { authorization: basic, accept: "application/json" }, timeoutMs, endpoint.ca);
  if (answer.status !== 200) throw new Error(`the token service ${url.origin}${url.pathname} refused the login: HTTP ${answer.status} ${answer.body.toString("utf8").slice(0, 300)}`);
  const { token, access_token: accessToken } = JSON.parse(answer.body.toString("utf8")) as { token?: string; access_token?: string };
  const granted = token ?? accessToken;
  if (!granted) throw new Error(`the token service ${url.origin}${url.pathname} answered no token`);
  return `Bearer ${granted}`;
}

async function call(endpoint: RegistryEndpoint, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  const url = new URL(path, endpoint.baseUrl);
  const timeoutMs = endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const authorization = endpoint.authorization ?? earned.get(endpoint);
  const first = await send(url, method, { ...headers, ...(authorization ? { authorization } : {}) }, timeoutMs, endpoint.ca, body);
  const challenge = header(first, "www-authenticate");
  if (first.status !== 401 || !challenge || endpoint.authorization || !endpoint.credentials) return first;
  // Each repository and action has its own scope: a token for pulling one is not one for pushing.
  const answered = await authorizationFor(endpoint, challenge);
  earned.set(endpoint, answered);
  return send(url, method, { ...headers, authorization: answered }, timeoutMs, endpoint.ca, body);
}

function expectStatus(answer: Answer, wanted: readonly number[], what: string): void {
  if (!wanted.includes(answer.status)) throw new Error(`${what}: HTTP ${answer.status} ${answer.body.toString("utf8").slice(0, 300)}`);
}

function header(answer: Answer, name: string): string | undefined {
  const value = answer.headers[name];
  return typeof value === "string" ? value : undefined;
}

export interface FetchedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
  readonly body: { readonly mediaType?: string; readonly manifests?: Descriptor[]; readonly layers?: Descriptor[]; readonly subject?: Descriptor; readonly artifactType?: string };
}

/** The manifest under a tag or digest; its digest is computed from the bytes (and must match a digest asked for). */
export async function getManifest(endpoint: RegistryEndpoint, repository: string, reference: string): Promise<FetchedManifest | undefined> {
  const answer = await call(endpoint, "GET", `/v2/${repository}/manifests/${reference}`, { accept: ACCEPT_MANIFESTS });
  if (answer.status === 404) return undefined;
  expectStatus(answer, [200], `GET ${repository} manifest ${reference}`);
  const digest = digestOf(answer.body);
  if (reference.startsWith("sha256:") && reference !== digest) throw new Error(`${repository}@${reference}: the registry served bytes that hash to ${digest}`);
  const body = JSON.parse(answer.body.toString("utf8")) as FetchedManifest["body"];
  return { digest, mediaType: body.mediaType ?? header(answer, "content-type") ?? "", bytes: answer.body, body };
}

export async function getBlob(endpoint: RegistryEndpoint, repository: string, digest: string): Promise<Buffer> {
  const answer = await call(endpoint, "GET", `/v2/${repository}/blobs/${digest}`, {});
  // Registries may answer with a redirect to storage; the loopback one serves blobs itself.
  expectStatus(answer, [200], `GET ${repository} blob ${digest}`);
  if (digestOf(answer.body) !== digest) throw new Error(`${repository} blob ${digest}: the registry served other bytes`);
  return answer.body;
}

/** Uploads a blob (monolithic POST then PUT), unless the registry has it already. */
export async function putBlob(endpoint: RegistryEndpoint, repository: string, bytes: Buffer): Promise<Descriptor> {
  const digest = digestOf(bytes);
  const head = await call(endpoint, "HEAD", `/v2/${repository}/blobs/${digest}`, {});
  if (head.status !== 200) {
    const start = await call(endpoint, "POST", `/v2/${repository}/blobs/uploads/`, {});
    expectStatus(start, [202], `POST ${repository} blob upload`);
    const location = header(start, "location");
    if (!location) throw new Error(`POST ${repository} blob upload: no Location`);
    const target = new URL(location, endpoint.baseUrl);
    target.searchParams.set("digest", digest);
    const done = await call(endpoint, "PUT", `${target.pathname}${target.search}`, { "content-type": "application/octet-stream" }, bytes);
    expectStatus(done, [201], `PUT ${repository} blob ${digest}`);
  }
  return { mediaType: "application/octet-stream", digest, size: bytes.length };
}

export async function putManifest(endpoint: RegistryEndpoint, repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<string> {
  const answer = await call(endpoint, "PUT", `/v2/${repository}/manifests/${reference}`, { "content-type": mediaType }, bytes);
  expectStatus(answer, [201], `PUT ${repository} manifest ${reference}`);
  const digest = digestOf(bytes);
  const said = header(answer, "docker-content-digest");
  if (said && said !== digest) throw new Error(`PUT ${repository} manifest: the registry says ${said}, the bytes hash to ${digest}`);
  return digest;
}

/** The tag under which the OCI 1.1 fallback lists the referrers of a digest. */
export function fallbackTag(digest: string): string {
  const match = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!match) throw new Error(`"${digest}" is not a sha256 digest`);
  return `sha256-${match[1]}`;
}

/** The referrers of a digest: the referrers API where the registry has it, else the fallback tag. */
export async function referrers(endpoint: RegistryEndpoint, repository: string, digest: string): Promise<{ descriptors: Descriptor[]; api: boolean }> {
  const answer = await call(endpoint, "GET", `/v2/${repository}/referrers/${digest}`, { accept: MEDIA_TYPES.index });
  if (answer.status === 200 && (header(answer, "content-type") ?? "").startsWith(MEDIA_TYPES.index)) {
    return { descriptors: (JSON.parse(answer.body.toString("utf8")) as { manifests?: Descriptor[] }).manifests ?? [], api: true };
  }
  if (answer.status !== 404) expectStatus(answer, [200, 404], `GET ${repository} referrers of ${digest}`);
  const index = await getManifest(endpoint, repository, fallbackTag(digest));
  return { descriptors: index?.body.manifests ?? [], api: false };
}

export interface Artifact {
  readonly artifactType: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Pushes an artifact whose subject is `subject` (an OCI 1.1 image manifest with the empty config
 * and one layer), and lists it in the fallback index when the registry has no referrers API.
 */
export async function attach(endpoint: RegistryEndpoint, repository: string, subject: Descriptor, artifact: Artifact): Promise<Descriptor> {
  await putBlob(endpoint, repository, EMPTY_CONFIG);
  const layer = await putBlob(endpoint, repository, artifact.bytes);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      artifactType: artifact.artifactType,
      config: { mediaType: MEDIA_TYPES.empty, digest: digestOf(EMPTY_CONFIG), size: EMPTY_CONFIG.length },
      layers: [{ mediaType: artifact.mediaType, digest: layer.digest, size: layer.size }],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      annotations: artifact.annotations,
    }),
  );
  const digest = await putManifest(endpoint, repository, digestOf(manifest), MEDIA_TYPES.manifest, manifest);
  const descriptor: Descriptor = { mediaType: MEDIA_TYPES.manifest, digest, size: manifest.length, artifactType: artifact.artifactType, annotations: artifact.annotations };
  const { api } = await referrers(endpoint, repository, subject.digest);
  if (!api) {
    // Read, add, write: the fallback index is one tag per subject, shared by every artifact of it.
    const tag = fallbackTag(subject.digest);
    const current = (await getManifest(endpoint, repository, tag))?.body.manifests ?? [];
    const index = { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: [...current.filter((entry) => entry.digest !== digest), descriptor] };
    await putManifest(endpoint, repository, tag, MEDIA_TYPES.index, Buffer.from(JSON.stringify(index)));
  }
  return descriptor;
}
