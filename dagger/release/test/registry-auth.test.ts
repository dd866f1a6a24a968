// Logging in to a registry the way GHCR asks: a 401 with a Bearer challenge, the credentials
// traded for a token of the challenge's scope at its token service, the request retried with it;
// and a Basic challenge. Against a small HTTPS server on loopback with its own certificate.

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";

import { getManifest, type RegistryEndpoint } from "../oci-registry.js";

const execFileAsync = promisify(execFile);
const INDEX = JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [] });
const LOGIN = { username: "actor", password: "ghs_secret" };

describe("dagger/release/oci-registry: registry login (Basic, Bearer token service)", function () {
  this.timeout(30_000);
  let dir = "";
  let server: Server;
  let baseUrl = "";
  let ca = "";
  let scheme: "Bearer" | "Basic" = "Bearer";
  const scopesAsked: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bookstore-registry-auth-"));
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    await execFileAsync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert], { timeout: 20_000 });
    ca = await readFile(cert, "utf8");
    const basic = `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString("base64")}`;
    server = createServer({ key: await readFile(key), cert: ca }, (request, response) => {
      const url = new URL(request.url ?? "/", baseUrl);
      if (url.pathname === "/token") {
        scopesAsked.push(`${url.searchParams.get("service")} ${url.searchParams.get("scope")}`);
        if (request.headers.authorization !== basic) return void response.writeHead(401).end("bad login");
        return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: "granted-token" }));
      }
      const wanted = scheme === "Bearer" ? "Bearer granted-token" : basic;
      if (request.headers.authorization !== wanted) {
        const challenge = scheme === "Bearer" ? `Bearer realm="${baseUrl}/token",service="test-registry",scope="repository:owner/app:pull,push"` : 'Basic realm="test"';
        return void response.writeHead(401, { "www-authenticate": challenge }).end("unauthorized");
      }
      response.writeHead(200, { "content-type": "application/vnd.oci.image.index.v1+json" }).end(INDEX);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const endpoint = (credentials?: RegistryEndpoint["credentials"]): RegistryEndpoint => ({ baseUrl, ca, timeoutMs: 5_000, ...(credentials ? { credentials } : {}) });

  it("trades the login for a token of the challenge's scope and retries with it", async () => {
    scheme = "Bearer";
    scopesAsked.length = 0;
    const manifest = await getManifest(endpoint(LOGIN), "owner/app", "latest");
    expect(manifest?.body.mediaType).to.equal("application/vnd.oci.image.index.v1+json");
    expect(scopesAsked).to.deep.equal(["test-registry repository:owner/app:pull,push"]);
  });

  it("reuses the token it earned instead of asking again", async () => {
    scheme = "Bearer";
    scopesAsked.length = 0;
    const once = endpoint(LOGIN);
    await getManifest(once, "owner/app", "latest");
    await getManifest(once, "owner/app", "latest");
    expect(scopesAsked).to.have.length(1);
  });

  it("says so when the token service refuses the login, and when no login was given", async () => {
    scheme = "Bearer";
    let message = "";
    await getManifest(endpoint({ username: "actor", password: "wrong" }), "owner/app", "latest").catch((error: Error) => (message = error.message));
    expect(message).to.match(/token service .* refused the login: HTTP 401/);
    message = "";
    await getManifest(endpoint(), "owner/app", "latest").catch((error: Error) => (message = error.message));
    expect(message).to.match(/HTTP 401 unauthorized/);
  });

  it("answers a Basic challenge with the login itself", async () => {
    scheme = "Basic";
    const manifest = await getManifest(endpoint(LOGIN), "owner/app", "latest");
    expect(manifest?.body.manifests).to.deep.equal([]);
  });
});
