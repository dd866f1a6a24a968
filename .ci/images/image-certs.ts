// The development CA that the image checks run the containers with: made by a built image's own
// certs tool (/app/tools/certs.js, as compose's `certs` job runs it) into a podman volume, which
// every container mounts read-only at /certs. The host reads the CA from the volume to check the
// containers over TLS.

import { join } from "node:path";
import { NPM_START_RACKS, certStem } from "../../compose/local/certs.ts";
import type { ServiceSpec } from "../../dagger/module/src/lib/services.js";
import { podman } from "./podman.js";

const VOLUME = "bookstore-image-test-certs";
const IN_CONTAINER = "/certs";
const TIMEOUT_MS = 120_000;

export interface ImageCerts {
  /** `--volume` argument for a container. */
  readonly mount: string;
  /** The CA's PEM file on the host (inside the volume). */
  readonly caFile: string;
}

/** Makes the certificates with `image`'s bundled tool; a volume left by an earlier run is made anew. */
export async function makeImageCerts(image: string): Promise<ImageCerts> {
  await podman(["volume", "rm", "--force", VOLUME], { timeoutMs: TIMEOUT_MS, allowFailure: true });
  await podman(["volume", "create", VOLUME], { timeoutMs: TIMEOUT_MS });
  // Over the image's /data, owned by the service user: a new volume starts as that folder.
  await podman(["run", "--rm", "--network", "none", "--volume", `${VOLUME}:/data`, "--entrypoint", "node", image, "/app/tools/certs.js", "--out", "/data"], { timeoutMs: TIMEOUT_MS });
  const mountpoint = (await podman(["volume", "inspect", "--format", "{{.Mountpoint}}", VOLUME], { timeoutMs: TIMEOUT_MS })).stdout.trim();
  return { mount: `${VOLUME}:${IN_CONTAINER}:ro`, caFile: join(mountpoint, "ca.pem") };
}

/**
 * A service's TLS settings in its container: its own certificate, for a worker run as racks the
 * first rack's (with that RACK_ID, which the certificate binds it to).
 */
export function containerTlsEnv(spec: ServiceSpec): Record<string, string> {
  const rack = NPM_START_RACKS[spec.name]?.[0];
  const stem = certStem(spec.name, rack);
  return {
    TLS_CA_FILE: `${IN_CONTAINER}/ca.pem`,
    TLS_CERT_FILE: `${IN_CONTAINER}/${stem}.pem`,
    TLS_KEY_FILE: `${IN_CONTAINER}/${stem}-key.pem`,
    ...(rack === undefined ? {} : { RACK_ID: rack }),
  };
}

export async function removeImageCerts(): Promise<void> {
  await podman(["volume", "rm", "--force", VOLUME], { timeoutMs: TIMEOUT_MS, allowFailure: true });
}
