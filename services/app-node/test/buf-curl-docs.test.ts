// Every `buf curl` line of the service pages (docs/services/*.md) runs, as written, against the
// five gRPC servers as processes, and must get an answer (exit 0). Only what a reader would change
// is changed: the address (the servers run on free ports) and the example values that cannot be
// known in advance (book, thing and worker ids, page tokens), each replaced by a real one made
// for that line (a fresh book for GetBook, a checked-out one for ReturnBook, ...).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { documentedBufCurlLines, runLine } from "../../../compose/local/kit/testing/doc-lines.js";
import { REPO_ROOT, type ServiceProcess, bufCurlJson, startService, startServices, tempDir } from "../../../compose/local/kit/testing/process.js";
import { testCertsDir } from "../../../compose/local/kit/testing/tls.js";

/** The `npx buf curl` commands of the service pages. */
const serviceDocLines = () =>
  readdirSync(join(REPO_ROOT, "docs", "services"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .flatMap((page) => documentedBufCurlLines(`docs/services/${page}`));

describe("every documented buf curl line runs against the servers", function () {
  this.timeout(300_000);
  const lines = serviceDocLines();
  const data = tempDir("buf-curl-docs");
  const processes: ServiceProcess[] = [];
  /** The documented port → the address the server of that port runs on here. */
  const addresses = new Map<string, string>();

  before(async () => {
    const servingTimeoutMs = 60_000;
    // No warm-up, so WatchRouting answers at once on a fresh orchestrator.
    const ork = await startService({ service: "wrk-ork", env: { ORK_WARMUP_SECONDS: "0" }, servingTimeoutMs });
    processes.push(ork);
    const register = { ORK_ADDR: ork.grpcAddress };
    const [rack1, base, thing, rack2] = (await startServices([
      { service: "wrk-book", env: { ...register, DATA_DIR: `${data.path}/rack-1`, RACK_ID: "rack-1" }, servingTimeoutMs },
      { service: "wrk-base", env: register, servingTimeoutMs },
      { service: "tpl-wrk-thing", env: { ...register, DATA_DIR: `${data.path}/thing` }, servingTimeoutMs },
      { service: "wrk-book", env: { ...register, DATA_DIR: `${data.path}/rack-2`, RACK_ID: "rack-2" }, servingTimeoutMs },
    ])) as [ServiceProcess, ServiceProcess, ServiceProcess, ServiceProcess];
    processes.push(rack1, base, thing, rack2);
    // The contract's ports, and the second rack where `npm start` puts it.
    for (const [port, server] of [["50051", ork], ["50052", rack1], ["50053", base], ["50054", thing], ["50055", rack2]] as const) {
      addresses.set(port, server.grpcAddress);
    }
  });

  after(async () => {
    await Promise.all(processes.map((server) => server.stop()));
    data.remove();
  });

  const rpc = <T>(port: string, method: string, body: unknown): Promise<T> =>
    bufCurlJson<T>(["-d", JSON.stringify(body), `https://${addresses.get(port)}/${method}`]);
  const newBook = async (): Promise<string> =>
    (await rpc<{ book: { id: string } }>("50052", "bookstore.book.v1.BookService/CreateBook", { title: "Dune", author: "Frank Herbert", tags: ["sf"] })).book.id;
  const newThing = async (): Promise<string> =>
    (await rpc<{ thing: { id: string } }>("50054", "bookstore.thing.v1.ThingService/RegisterThing", { type: "lamp", tags: ["lighting"] })).thing.id;
  const workerId = async (port: string): Promise<string> => (await rpc<{ id: string }>(port, "bookstore.worker.v1.WorkerService/GetInfo", {})).id;

  /** The line with its example values replaced by real ones, made the way that line needs them. */
  async function prepare(command: string): Promise<string> {
    // The certificates `npm start` makes in .data/certs are this run's test certificates.
    let prepared = command.replace(/127\.0\.0\.1:(\d+)/g, (text, port: string) => addresses.get(port) ?? text).replaceAll(".data/certs/", `${testCertsDir()}/`);
    const method = /\/([\w.]+\/\w+)\s*(?:#.*)?$/.exec(command)?.[1] ?? "";
    if (/rack-1\.d13f(?:…|[0-9a-f-]{32})/.test(prepared)) {
      const id = await newBook();
      if (method.endsWith("/ReturnBook")) await rpc("50052", "bookstore.book.v1.BookService/CheckoutBook", { id, borrower: "ann" });
      prepared = prepared.replace(/rack-1\.d13f(?:…|[0-9a-f-]{32})/g, id);
    }
    if (/rack-4d5a7110\.0b9b(?:…|[0-9a-f-]{32})/.test(prepared)) {
      const id = await newThing();
      // The ForgetThing example forgets version 2: the thing has been updated once.
      if (method.endsWith("/ForgetThing")) await rpc("50054", "bookstore.thing.v1.ThingService/UpdateThing", { id, expectedVersion: 1, tags: ["lighting"] });
      prepared = prepared.replace(/rack-4d5a7110\.0b9b(?:…|[0-9a-f-]{32})/g, id);
    }
    if (/"pageToken": ?"[^"]*…"/.test(prepared)) {
      const token = method.endsWith("/ListBooks")
        ? await (async () => {
            await Promise.all([newBook(), newBook()]);
            return (await rpc<{ nextPageToken: string }>("50052", "bookstore.book.v1.BookService/ListBooks", { tag: "sf", pageSize: 1 })).nextPageToken;
          })()
        : await (async () => {
            await Promise.all([newThing(), newThing()]);
            return (await rpc<{ nextPageToken: string }>("50054", "bookstore.thing.v1.ThingService/ListThings", { type: "lamp", pageSize: 1 })).nextPageToken;
          })();
      prepared = prepared.replace(/("pageToken": ?)"[^"]*…"/g, `$1"${token}"`);
    }
    if (/book-r1-[0-9a-f]{8}/.test(prepared)) prepared = prepared.replace(/book-r1-[0-9a-f]{8}/g, await workerId("50052"));
    if (/book-r2-[0-9a-f]{8}/.test(prepared)) prepared = prepared.replace(/book-r2-[0-9a-f]{8}/g, await workerId("50055"));
    return prepared;
  }

  it("finds the buf curl lines: one beside each grpcurl line of the service pages", () => {
    const dir = join(REPO_ROOT, "docs", "services");
    const grpcurlLines = readdirSync(dir)
      .filter((name) => name.endsWith(".md"))
      .flatMap((page) => readFileSync(join(dir, page), "utf8").split("\n"))
      .filter((line) => line.startsWith("grpcurl -cacert"));
    expect(grpcurlLines.length).to.be.greaterThan(30);
    expect(lines.length).to.equal(grpcurlLines.length);
  });

  it("runs each line and gets an answer from the server", async () => {
    const failures: string[] = [];
    for (const line of lines) {
      const command = await prepare(line.command);
      // A server stream (WatchRouting) does not end by itself: its first answer is enough.
      const streaming = command.includes("/WatchRouting");
      const result = await runLine(command, streaming ? 8_000 : 30_000);
      const answered = streaming ? result.killed && /"routes"/.test(result.stdout) : result.code === 0 && result.stdout.trim() !== "";
      if (!answered) failures.push(`${line.where}: exit ${result.code}${result.killed ? " (killed)" : ""}: ${result.stderr.trim() || result.stdout.trim()}\n  ${command}`);
    }
    expect(failures, failures.join("\n")).to.deep.equal([]);
  });
});
