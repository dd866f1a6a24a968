// wrk-ork's ports when GRPC_PORT and HTTP_PORT are unset: the operating contract's, which
// services/catalogue.json holds (dagger/test/catalogue.test.ts checks that they agree).
export const DEFAULT_PORTS = { grpcPort: 50051, httpPort: 9101 } as const;
