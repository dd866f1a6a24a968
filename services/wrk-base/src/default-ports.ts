// wrk-base's ports when GRPC_PORT and HTTP_PORT are unset: the operating contract's, which
// services/catalogue.json holds (dagger/test/catalogue.test.ts checks that they agree).
export const DEFAULT_PORTS = { grpcPort: 50053, httpPort: 9103 } as const;
