// The gRPC credentials of every server and client of the system, from one TlsSettings.
//
// Both sides use grpc-js's certificate-provider credentials over a FileWatcherCertificateProvider,
// so a certificate, key or CA replaced on disk is taken up without a restart (within
// refreshIntervalMs; connections already open keep the certificate they were made with).
// The server requests a client certificate but does not require one: a call without a valid one
// still reaches the authorization interceptor (authorize.ts), which answers UNAUTHENTICATED, where
// a refused handshake would reach the client as UNAVAILABLE; and the health and reflection
// services stay open to a TLS client without a certificate (a probe).
import type { PeerCertificate } from "node:tls";
import * as grpc from "@grpc/grpc-js";
import { TRUST_DOMAIN, identitiesInSubjectAltName } from "./identity.js";
import type { TlsSettings } from "./settings.js";

/** How often the certificate files are read again. */
export const CERT_REFRESH_MS = 60_000;

const providers = new Map<string, grpc.experimental.FileWatcherCertificateProvider>();

/** One provider per set of files and interval in a process: every server and channel shares its reads. */
function providerOf(tls: Extract<TlsSettings, { insecure: false }>, refreshIntervalMs: number): grpc.experimental.FileWatcherCertificateProvider {
  const key = JSON.stringify([tls.caFile, tls.certFile, tls.keyFile, refreshIntervalMs]);
  let provider = providers.get(key);
  if (!provider) {
    provider = new grpc.experimental.FileWatcherCertificateProvider({
      caCertificateFile: tls.caFile,
      certificateFile: tls.certFile,
      privateKeyFile: tls.keyFile,
      refreshIntervalMs,
    });
    providers.set(key, provider);
  }
  return provider;
}

/**
 * Resolves once the files have been read. grpc-js reads them only when a server or channel first
 * uses the provider, and a server drops every connection until then ("unloaded credentials"): a
 * service that said SERVING before this would fail its first callers with UNAVAILABLE (seen under
 * load). Rejects when a file cannot be read or parsed into a certificate update.
 */
export function certificatesLoaded(tls: TlsSettings, refreshIntervalMs = CERT_REFRESH_MS): Promise<void> {
  if (tls.insecure) return Promise.resolve();
  const provider = providerOf(tls, refreshIntervalMs);
  return new Promise<void>((resolve, reject) => {
    let identity = false;
    let ca = false;
    const done = (error?: Error): void => {
      provider.removeIdentityCertificateListener(onIdentity);
      provider.removeCaCertificateListener(onCa);
      if (error) reject(error);
      else resolve();
    };
    const onIdentity = (update: grpc.experimental.IdentityCertificateUpdate | null): void => {
      if (update === null) return done(new Error(`cannot read ${tls.certFile} or ${tls.keyFile}`));
      identity = true;
      if (ca) done();
    };
    const onCa = (update: grpc.experimental.CaCertificateUpdate | null): void => {
      if (update === null) return done(new Error(`cannot read ${tls.caFile}`));
      ca = true;
      if (identity) done();
    };
    provider.addIdentityCertificateListener(onIdentity);
    provider.addCaCertificateListener(onCa);
  });
}

export function serverCredentials(tls: TlsSettings, refreshIntervalMs = CERT_REFRESH_MS): grpc.ServerCredentials {
  if (tls.insecure) return grpc.ServerCredentials.createInsecure();
  const provider = providerOf(tls, refreshIntervalMs);
  // One provider for both roles: grpc-js 1.14.7 passes this function's two providers to the
  // constructor in the other order, which does not matter when they are the same.
  return grpc.experimental.createCertificateProviderServerCredentials(provider, provider, false);
}

/**
 * A server is accepted when its certificate, verified against our CA by the handshake, names a
 * bookstore identity: the SPIFFE ID is what is authenticated, as SPIFFE's X.509-SVID rules have
 * it, not the host name, which changes with where a worker runs (ADVERTISE_ADDR, compose names,
 * port 0).
 */
function checkServerIdentity(_host: string, certificate: PeerCertificate): Error | undefined {
  if (identitiesInSubjectAltName(certificate.subjectaltname).length === 1) return undefined;
  return new Error(`the server's certificate names no bookstore identity (${certificate.subjectaltname ?? "no SAN"})`);
}

/**
 * Credentials that send `serverName` as the TLS server name (SNI) on every connection, whatever
 * the channel's target. grpc-js 1.14.7 sends the target's host (channel-credentials.js,
 * getConnectionOptions), and Node warns once per process (DEP0123, RFC 6066) when that is an IP
 * address, as 127.0.0.1:port and ADVERTISE_ADDR usually are. It reads the name from the channel
 * option `grpc.ssl_target_name_override`, which this adds to the options of every connection made
 * with these credentials (an override the caller set wins), so no client can forget it.
 * grpc-js then calls the inner checkServerIdentity with that name in place of the host: the CA
 * check of the handshake and the check of the certificate are what they were.
 */
class ServerNameCredentials extends grpc.ChannelCredentials {
  constructor(
    private readonly inner: grpc.ChannelCredentials,
    private readonly serverName: string,
  ) {
    super();
  }
  override _isSecure(): boolean {
    return this.inner._isSecure();
  }
  override _equals(other: grpc.ChannelCredentials): boolean {
    return other === this || (other instanceof ServerNameCredentials && other.serverName === this.serverName && this.inner._equals(other.inner));
  }
  override _createSecureConnector(...[target, options, callCredentials]: Parameters<grpc.ChannelCredentials["_createSecureConnector"]>): ReturnType<grpc.ChannelCredentials["_createSecureConnector"]> {
    return this.inner._createSecureConnector(target, { "grpc.ssl_target_name_override": this.serverName, ...options }, callCredentials);
  }
}

/** `credentials` sending `serverName` as the TLS server name (a name, never an IP address). */
export function withServerName(credentials: grpc.ChannelCredentials, serverName: string): grpc.ChannelCredentials {
  return credentials._isSecure() ? new ServerNameCredentials(credentials, serverName) : credentials;
}

/**
 * Every client's credentials. The TLS server name sent is the trust domain: the servers have one
 * certificate each, and the client checks the SPIFFE ID, not a host name.
 */
export function channelCredentials(tls: TlsSettings, refreshIntervalMs = CERT_REFRESH_MS): grpc.ChannelCredentials {
  if (tls.insecure) return grpc.credentials.createInsecure();
  const provider = providerOf(tls, refreshIntervalMs);
  return withServerName(grpc.experimental.createCertificateProviderChannelCredentials(provider, provider, { checkServerIdentity }), TRUST_DOMAIN);
}

/** The one warning TLS_INSECURE=1 asks for, at start. */
export function warnIfInsecure(log: { warn(fields: object, message: string): void }, tls: TlsSettings): void {
  if (tls.insecure) log.warn({ TLS_INSECURE: "1" }, "TLS is off: service-to-service gRPC is plaintext and nobody's identity is checked; for development only");
}
