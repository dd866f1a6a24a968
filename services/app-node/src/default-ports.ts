// app-node's port when HTTP_PORT is unset (it serves no gRPC): the operating contract's, which
// services/catalogue.json holds (dagger/test/catalogue.test.ts checks that they agree).
export const DEFAULT_PORTS = { grpcPort: null, httpPort: 3000 } as const;
