// Every `npx buf curl` line of docs/troubleshooting.md, "gRPC between the services (TLS)", runs as
// written (bash, from the repository's root) against a real wrk-ork in the situation its paragraph
// describes, and must give the answer of the `# {...}` comment lines after it. Only what a reader
// would change is changed: the address (127.0.0.1:50051 → the orchestrator of that situation, on a
// free port) and the certificate folders (.data/certs/ → this run's test CA, other/ → a folder with
// another CA and its admin certificate).
//
// The situations, by the paragraph before the line's code block: UNAUTHENTICATED, PERMISSION_DENIED
// and "does not trust the server's CA": an orchestrator with mutual TLS; "the server's certificate
// has expired": one whose certificate expired yesterday (signed by the test CA); "plaintext on one
// side": an http:// line against the orchestrator with TLS, an https:// line against one with
// TLS_INSECURE=1.
//
// An answer is the JSON buf curl prints (stderr for an error, stdout otherwise). Its `code` must
// equal the comment's; so must its `message`, except that each `...` of the comment's message
// stands for one or more characters that vary from run to run (times, addresses, Go's reason in
// brackets). Text after the comment's JSON (`: a plaintext client, a TLS server`) names the
// situation and is not compared. Several comment lines are the answers a race may give (how a
// plaintext client sees a TLS server close the connection): the answer must be one of them. A line
// without a comment must exit 0.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import * as x509 from "@peculiar/x509";
import { ensureCerts, identityOfSpiffeId, spiffeIdOf } from "../../../compose/local/certs.ts";
import { withServerName } from "../../wrk-base/src/tls/credentials.js";
import { type DocumentedLine, documentedBufCurlLines, runLine } from "../../../compose/local/kit/testing/doc-lines.js";
import { type ServiceProcess, startServices, tempDir } from "../../../compose/local/kit/testing/process.js";
import { testCaFile, testCertsDir } from "../../../compose/local/kit/testing/tls.js";

const SECTION = "gRPC between the services (TLS)";
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

/** wrk-ork's certificate and key, signed by the test CA, valid until yesterday, written to `dir`. */
async function expiredOrkCert(dir: string): Promise<Record<string, string>> {
  const certs = testCertsDir();
  const caKey = await webcrypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(readFileSync(join(certs, "ca-key.pem"), "utf8")), ALGORITHM, false, ["sign"]);
  const ca = new x509.X509Certificate(readFileSync(join(certs, "ca.pem"), "utf8"));
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    subject: "CN=wrk-ork",
    issuer: ca.subject,
    notBefore: new Date(Date.now() - 2 * DAY_MS),
    notAfter: new Date(Date.now() - DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "url", value: spiffeIdOf("orchestrator") },
        { type: "dns", value: "localhost" },
        { type: "ip", value: "127.0.0.1" },
      ]),
    ],
  });
  const files = { TLS_CA_FILE: testCaFile(), TLS_CERT_FILE: join(dir, "wrk-ork.pem"), TLS_KEY_FILE: join(dir, "wrk-ork-key.pem") };
  writeFileSync(files.TLS_CERT_FILE, `${cert.toString("pem")}\n`);
  const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY");
  writeFileSync(files.TLS_KEY_FILE, `${key}\n`, { mode: 0o600 });
  return files;
}

interface Answer {
  code: string;
  message: string;
}

/** The documented answer of a `# {...}` comment (what follows its JSON names the situation). */
function documentedAnswer(comment: string): Answer {
  const json = /^(\{.*\})(?::.*)?$/.exec(comment)?.[1];
  if (json === undefined) throw new Error(`not an answer: # ${comment}`);
  return JSON.parse(json) as Answer;
}

/** The JSON buf curl printed: its error on stderr, or its answer on stdout. */
function printedAnswer(output: string): Answer | undefined {
  const json = /\{[\s\S]*\}/.exec(output)?.[0];
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as Answer;
  } catch {
    return undefined;
  }
}

/** The documented message as a pattern: every `...` is one or more characters, the rest as written. */
const messagePattern = (message: string): RegExp =>
  new RegExp(`^${message.split("...").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".+")}$`);

describe(`docs/troubleshooting.md, "${SECTION}": every buf curl line answers as documented`, function () {
  this.timeout(180_000);
  const lines = documentedBufCurlLines("docs/troubleshooting.md", SECTION);
  const expired = tempDir("troubleshooting-expired");
  const other = tempDir("troubleshooting-other-ca");
  let ork: ServiceProcess;
  let expiredOrk: ServiceProcess;
  let plainOrk: ServiceProcess;

  before(async () => {
    await ensureCerts(other.path, [identityOfSpiffeId(spiffeIdOf("admin"))]);
    const expiredTls = await expiredOrkCert(expired.path);
    // The expired certificate fails every verifying client: health is asked without checking it.
    const unverified = withServerName(grpc.credentials.createSsl(readFileSync(testCaFile()), null, null, { rejectUnauthorized: false }), "localhost");
    [ork, expiredOrk, plainOrk] = (await startServices([
      { service: "wrk-ork", servingTimeoutMs: 60_000 },
      { service: "wrk-ork", env: expiredTls, probe: unverified, servingTimeoutMs: 60_000 },
      { service: "wrk-ork", env: { TLS_INSECURE: "1" }, servingTimeoutMs: 60_000 },
    ])) as [ServiceProcess, ServiceProcess, ServiceProcess];
  });

  after(async () => {
    await Promise.all([ork, expiredOrk, plainOrk].map((server) => server?.stop()));
    expired.remove();
    other.remove();
  });

  /** The orchestrator of the situation a line's paragraph describes. */
  function serverOf(line: DocumentedLine): ServiceProcess {
    if (/^- \*Plaintext on one side, TLS on the other\*/.test(line.paragraph)) return line.command.includes("https://") ? plainOrk : ork;
    if (/^- \*The server's certificate has expired\*/.test(line.paragraph)) return expiredOrk;
    if (/^\*\*(UNAUTHENTICATED|PERMISSION_DENIED):|^- \*The client does not trust the server's CA\*/.test(line.paragraph)) return ork;
    throw new Error(`${line.where}: no situation for the paragraph "${line.paragraph.slice(0, 60)}..."`);
  }

  it("finds the section's lines, each with a situation", () => {
    expect(lines.length).to.be.greaterThanOrEqual(7);
    for (const line of lines) expect(() => serverOf(line)).not.to.throw();
  });

  it("runs each line and gets the documented code and message", async () => {
    const failures: string[] = [];
    for (const line of lines) {
      const command = line.command
        .replaceAll("127.0.0.1:50051", serverOf(line).grpcAddress)
        .replaceAll(".data/certs/", `${testCertsDir()}/`)
        .replace(/(?<=\s)other\//g, `${other.path}/`);
      const result = await runLine(command, 30_000);
      if (line.comments.length === 0) {
        if (result.code !== 0) failures.push(`${line.where}: exit ${result.code}: ${result.stderr.trim()}\n  ${command}`);
        continue;
      }
      const wanted = line.comments.map(documentedAnswer);
      const got = printedAnswer(result.code === 0 ? result.stdout : result.stderr);
      if (result.code === 0 || !wanted.some((answer) => got?.code === answer.code && messagePattern(answer.message).test(got.message))) {
        failures.push(`${line.where}: exit ${result.code}${result.killed ? " (killed)" : ""}, documented ${JSON.stringify(wanted)}, got ${(result.stderr.trim() || result.stdout.trim()).replaceAll("\n", " ")}\n  ${command}`);
      }
    }
    expect(failures, failures.join("\n")).to.deep.equal([]);
  });
});
