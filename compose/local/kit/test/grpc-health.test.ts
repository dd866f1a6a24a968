import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { HealthImplementation, service as healthService } from "grpc-health-check";
import { checkHealth } from "../grpc-health.ts";

describe("kit: checkHealth", () => {
  let server: grpc.Server;
  let address: string;

  before(async () => {
    server = new grpc.Server();
    const health = new HealthImplementation({ "": "SERVING", "book.v1.BookService": "NOT_SERVING" });
    health.addToServer(server);
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
    address = `127.0.0.1:${port}`;
  });

  after(() => server.forceShutdown());

  it("answers the status of the server and of one service", async () => {
    expect(healthService.Check).to.not.equal(undefined);
    expect(await checkHealth(address, { timeoutMs: 2_000 })).to.equal("SERVING");
    expect(await checkHealth(address, { service: "book.v1.BookService" })).to.equal("NOT_SERVING");
  });

  it("fails within its deadline when nothing answers", async () => {
    const error = (await checkHealth("127.0.0.1:1", { timeoutMs: 300 }).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(error.code).to.be.oneOf([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]);
  });
});
