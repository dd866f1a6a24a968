// The SBOM of one image and platform (CycloneDX 1.6 JSON): the image as the main component, the
// OS packages of its base, the Node binary, the bundle file and every npm package esbuild put in
// it. The npm part comes whole from @cyclonedx/cyclonedx-esbuild, which the image's build stage
// runs while it bundles (services/bundle.ts writes /out/<service>/sbom/bundle.cdx.json there); this adds
// what only the finished image knows, built with @cyclonedx/cyclonedx-library and checked against
// the CycloneDX schema by the same library.

import { createHash } from "node:crypto";

import { Enums, Models, Serialize, Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { PackageURL } from "packageurl-js";
import spdxExpressionParse from "spdx-expression-parse";

import type { OsPackage } from "./os-packages.js";

/** Where the image keeps what the SBOM describes (the layout of services/bundle.ts and the base). */
export const IMAGE_PATHS = { node: "/usr/local/bin/node", bundle: "/app/dist/main.js", certsTool: "/app/tools/certs.js" } as const;

/** Names of the SBOM's own properties (the `bookstore:` namespace, as CycloneDX asks of private names). */
export const SBOM_PROPERTIES = { platform: "bookstore:image:platform", path: "bookstore:image:path" } as const;

/** The bom-refs this adds; the npm components keep the esbuild plugin's own. */
export const SBOM_REFS = { image: "image", node: "node", bundle: "bundle", certsTool: "certs-tool" } as const;

export interface ImageFacts {
  /** The image's repository without tag, e.g. ghcr.io/owner/bookstore/wrk-book. */
  readonly repository: string;
  /** The service whose bundle this is (services/<service>). */
  readonly service: string;
  /** linux/amd64 or linux/arm64. */
  readonly platform: string;
  /** The platform manifest's digest when known (sha256:...); before a push it is not. */
  readonly digest?: string;
  /** The image's version (the org.opencontainers.image.version label). */
  readonly version: string;
  readonly osPackages: readonly OsPackage[];
  /** From /etc/os-release: "debian-12", "alpine-3.22.1"; absent when the base has none. */
  readonly distro?: string;
  /** The Node version the base declares (its NODE_VERSION variable, as the node images set it). */
  readonly nodeVersion: string;
  readonly nodeSha256: string;
  readonly bundleSha256: string;
  /** Of the development CA maker bundled beside the service (/app/tools/certs.js). */
  readonly certsToolSha256: string;
  /** The CycloneDX JSON that @cyclonedx/cyclonedx-esbuild wrote while bundling. */
  readonly bundleBom: string;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The parts of a CycloneDX JSON document that this module reads and writes. */
export interface CdxComponentJson {
  readonly type: string;
  readonly name: string;
  readonly group?: string;
  readonly version?: string;
  readonly purl?: string;
  readonly "bom-ref"?: string;
  readonly licenses?: ReadonlyArray<{ license?: { id?: string; name?: string }; expression?: string }>;
  readonly hashes?: ReadonlyArray<{ alg: string; content: string }>;
  readonly properties?: ReadonlyArray<{ name: string; value: string }>;
}
export interface CdxDocumentJson {
  readonly bomFormat: string;
  readonly specVersion: string;
  readonly metadata?: { component?: CdxComponentJson; tools?: { components?: CdxComponentJson[] } };
  readonly components?: CdxComponentJson[];
  readonly dependencies?: Array<{ ref: string; dependsOn?: string[] }>;
}

const SPEC = Spec.Spec1dot6;

function parseBom(text: string, what: string): CdxDocumentJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const bom = parsed as Partial<CdxDocumentJson> | null;
  if (bom?.bomFormat !== "CycloneDX" || !Array.isArray(bom.components)) throw new Error(`${what} is not a CycloneDX document with components`);
  return bom as CdxDocumentJson;
}

function licencesOf(declared: string | undefined): Models.LicenseRepository {
  const licences = new Models.LicenseRepository();
  if (!declared) return licences;
  // An SPDX expression when it parses as one (apk's L: usually does), else the text as a name.
  try {
    spdxExpressionParse(declared);
    licences.add(/^[A-Za-z0-9.+-]+$/.test(declared) ? new Models.SpdxLicense(declared) : new Models.LicenseExpression(declared));
  } catch {
    licences.add(new Models.NamedLicense(declared));
  }
  return licences;
}

function osComponent(pkg: OsPackage, distro: string | undefined): Models.Component {
  const namespace = pkg.type === "apk" ? "alpine" : "debian";
  const qualifiers: Record<string, string> = { arch: pkg.arch };
  if (distro) qualifiers.distro = distro;
  if (pkg.source) qualifiers[pkg.type === "apk" ? "origin" : "upstream"] = pkg.source;
  const purl = new PackageURL(pkg.type, namespace, pkg.name, pkg.version, qualifiers, undefined).toString();
  return new Models.Component(Enums.ComponentType.Library, pkg.name, {
    bomRef: purl,
    version: pkg.version,
    purl,
    licenses: licencesOf(pkg.licence),
  });
}

function sha256Hashes(hex: string): Models.HashDictionary {
  return new Models.HashDictionary([[Enums.HashAlgorithm["SHA-256"], hex]]);
}

function pathProperty(path: string): Models.PropertyRepository {
  return new Models.PropertyRepository([new Models.Property(SBOM_PROPERTIES.path, path)]);
}

/** The SBOM of one image and platform, as CycloneDX 1.6 JSON text. */
export function imageSbom(facts: ImageFacts): string {
  const bundle = parseBom(facts.bundleBom, `the bundle SBOM of ${facts.service}`);
  const servicePackage = bundle.components?.find((component) => component.group === "@bookstore" && component.name === facts.service);
  if (!servicePackage?.["bom-ref"]) throw new Error(`the bundle SBOM of ${facts.service} does not list @bookstore/${facts.service}: is it another service's?`);

  const imagePurl = new PackageURL("oci", undefined, facts.repository.split("/").at(-1) ?? facts.service, facts.digest, {
    repository_url: facts.repository,
    arch: facts.platform.split("/")[1] ?? facts.platform,
  }, undefined).toString();
  const image = new Models.Component(Enums.ComponentType.Container, facts.repository, {
    bomRef: SBOM_REFS.image,
    version: facts.version,
    ...(facts.digest ? { purl: imagePurl } : {}),
    properties: new Models.PropertyRepository([new Models.Property(SBOM_PROPERTIES.platform, facts.platform)]),
  });
  const node = new Models.Component(Enums.ComponentType.Application, "node", {
    bomRef: SBOM_REFS.node,
    version: facts.nodeVersion,
    purl: new PackageURL("generic", undefined, "node", facts.nodeVersion, { download_url: "https://nodejs.org/dist/" }, undefined).toString(),
    licenses: licencesOf("MIT"),
    hashes: sha256Hashes(facts.nodeSha256),
    properties: pathProperty(IMAGE_PATHS.node),
  });
  const bundleFile = new Models.Component(Enums.ComponentType.File, "main.js", {
    bomRef: SBOM_REFS.bundle,
    hashes: sha256Hashes(facts.bundleSha256),
    properties: pathProperty(IMAGE_PATHS.bundle),
  });
  const certsTool = new Models.Component(Enums.ComponentType.File, "certs.js", {
    bomRef: SBOM_REFS.certsTool,
    hashes: sha256Hashes(facts.certsToolSha256),
    properties: pathProperty(IMAGE_PATHS.certsTool),
  });
  const osComponents = facts.osPackages.map((pkg) => osComponent(pkg, facts.distro));

  const bom = new Models.Bom();
  bom.metadata.component = image;
  bom.metadata.lifecycles.add(Enums.LifecyclePhase.Build);
  for (const component of [node, bundleFile, certsTool, ...osComponents]) bom.components.add(component);
  const normalized = new Serialize.JSON.Normalize.Factory(SPEC).makeForBom().normalize(bom, { sortLists: true }) as unknown as CdxDocumentJson;

  // The esbuild plugin's components and graph join in whole; its root (the repository's package)
  // is not in the image, so the bundle file takes its place and depends on the service's package.
  const bundleRoot = bundle.metadata?.component?.["bom-ref"];
  const dependencies = (bundle.dependencies ?? []).filter((dependency) => dependency.ref !== bundleRoot);
  const document = {
    ...normalized,
    metadata: { ...normalized.metadata, tools: bundle.metadata?.tools ?? { components: [] } },
    components: [...(normalized.components ?? []), ...(bundle.components ?? [])],
    dependencies: [
      { ref: SBOM_REFS.image, dependsOn: [SBOM_REFS.node, SBOM_REFS.bundle, SBOM_REFS.certsTool, ...osComponents.map((component) => component.bomRef.value ?? "")] },
      { ref: SBOM_REFS.bundle, dependsOn: [servicePackage["bom-ref"]] },
      { ref: SBOM_REFS.certsTool },
      { ref: SBOM_REFS.node },
      ...osComponents.map((component) => ({ ref: component.bomRef.value ?? "" })),
      ...dependencies,
    ],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Throws with the schema's complaints when the text is not valid CycloneDX 1.6 JSON. */
export async function validateSbom(text: string): Promise<void> {
  const errors = await new Validation.JsonStrictValidator(SPEC.version).validate(text);
  if (errors !== null) throw new Error(`the SBOM is not valid CycloneDX ${SPEC.version}: ${JSON.stringify(errors).slice(0, 2000)}`);
}
