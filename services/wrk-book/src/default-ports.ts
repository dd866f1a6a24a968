// wrk-book's ports when GRPC_PORT and HTTP_PORT are unset: the operating contract's, which
// services/catalogue.json holds (dagger/test/catalogue.test.ts checks that they agree).
export const DEFAULT_PORTS = { grpcPort: 50052, httpPort: 9102 } as const;
