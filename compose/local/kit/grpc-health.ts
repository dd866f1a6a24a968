// grpc.health.v1.Health/Check, as grpc-health-probe asks it: one call with a deadline, the status
// it answers. Part of the kit (compose/local/kit): erasable TypeScript that plain Node 24 runs.
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import * as grpc from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";

export interface HealthOptions {
  /** The service asked about; "" (the default) is the whole server. */
  service?: string;
  /** The call's deadline; 2 s unless given. */
  timeoutMs?: number;
  /** What the probe connects with; plaintext unless given (see `caCredentials`). */
  credentials?: grpc.ChannelCredentials;
  /** Channel options (a TLS server name override, say). */
  channelOptions?: grpc.ChannelOptions;
}

/** The status a server answers (SERVING, NOT_SERVING, …); rejects when the call fails. */
export async function checkHealth(address: string, options: HealthOptions = {}): Promise<string> {
  const method = healthService.Check;
  if (!method) throw new Error("grpc-health-check has no Check method");
  const client = new grpc.Client(address, options.credentials ?? grpc.credentials.createInsecure(), options.channelOptions ?? {});
  try {
    return await new Promise<string>((resolve, reject) =>
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize as (bytes: Buffer) => { status: string },
        { service: options.service ?? "" },
        new grpc.Metadata(),
        { deadline: Date.now() + (options.timeoutMs ?? 2_000) },
        (error, response) => (error || !response ? reject(error ?? new Error("empty response")) : resolve(response.status)),
      ),
    );
  } finally {
    client.close();
  }
}

/**
 * A probe's TLS: the CA in `caFile`, no client certificate (health is open to it). A server named
 * by an IP address is checked as `localhost`, which every certificate of `npm run certs` names: an
 * IP as the TLS server name is against RFC 6066 (Node's DEP0123).
 */
export function probeTls(address: string, caFile: string): Pick<HealthOptions, "credentials" | "channelOptions"> {
  const host = address.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  return {
    credentials: grpc.credentials.createSsl(readFileSync(caFile)),
    channelOptions: isIP(host) !== 0 ? { "grpc.ssl_target_name_override": "localhost" } : {},
  };
}
