import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Env, SettingsError } from "../settings.js";

/**
 * How this service speaks gRPC to the others: mutual TLS from the operator's CA (the default), or,
 * with TLS_INSECURE=1, plaintext with no identity checks, for development only.
 */
export type TlsSettings =
  | { readonly insecure: true }
  | { readonly insecure: false; readonly caFile: string; readonly certFile: string; readonly keyFile: string };

const FILE_SETTINGS = ["TLS_CA_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE"] as const;

function readPem(name: string, file: string, check: (text: Buffer) => void): void {
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (error) {
    throw new SettingsError(name, file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    check(text);
  } catch (error) {
    throw new SettingsError(name, file, `not a PEM file of the right kind (${(error as Error).message})`);
  }
}

/**
 * TLS_INSECURE, TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE (see the contract). The files are read
 * once here so that a wrong path or a key in the certificate's place stops the service at start;
 * the running service then watches them for rotation (credentials.ts).
 */
export function readTlsSettings(env: Env): TlsSettings {
  const insecure = env.TLS_INSECURE?.trim() ?? "";
  if (insecure !== "" && insecure !== "0" && insecure !== "1") {
    throw new SettingsError("TLS_INSECURE", insecure, "expected 1 (TLS off, development only) or 0");
  }
  if (insecure === "1") return { insecure: true };
  const [caFile, certFile, keyFile] = FILE_SETTINGS.map((name) => {
    const value = env[name]?.trim() ?? "";
    if (value === "") throw new SettingsError(name, "", "required: service-to-service gRPC is mutual TLS (npm run certs makes a development CA); TLS_INSECURE=1 turns it off for development");
    return value;
  }) as [string, string, string];
  readPem("TLS_CA_FILE", caFile, (text) => {
    if (!new X509Certificate(text).ca) throw new Error("the certificate is not a CA");
  });
  readPem("TLS_CERT_FILE", certFile, (text) => void new X509Certificate(text));
  readPem("TLS_KEY_FILE", keyFile, (text) => void createPrivateKey(text));
  return { insecure: false, caFile, certFile, keyFile };
}
