import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { protoPath as healthProtoPath } from "grpc-health-check";
import type { ProtoGrpcType as BookProto } from "./generated/book.js";
import type { ProtoGrpcType as OrkProto } from "./generated/ork.js";
import type { ProtoGrpcType as ThingProto } from "./generated/thing.js";
import type { ProtoGrpcType as WorkerProto } from "./generated/worker.js";

/** Must match the options `npm run proto:gen` gives proto-loader-gen-types, or the types lie. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

export const PROTO_FILES = {
  worker: "bookstore/worker/v1/worker.proto",
  ork: "bookstore/ork/v1/ork.proto",
  thing: "bookstore/thing/v1/thing.proto",
  book: "bookstore/book/v1/book.proto",
} as const;

export const HEALTH_SERVICE = "grpc.health.v1.Health";

/**
 * The `proto/` folder of the repository (or of the image): `PROTO_DIR` when set, else the first
 * `proto/` found walking up from this module, which works from `src/`, `dist/` and a bundle alike.
 */
export function findProtoDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PROTO_DIR) return resolve(env.PROTO_DIR);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "proto");
    if (existsSync(join(candidate, PROTO_FILES.worker))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the proto/ folder: set PROTO_DIR");
    dir = parent;
  }
}

export interface Contracts {
  /** Every contract plus grpc.health.v1, in one definition (reflection serves the descriptors buf built: reflection.ts). */
  definition: protoLoader.PackageDefinition;
  worker: WorkerProto["bookstore"]["worker"]["v1"];
  ork: OrkProto["bookstore"]["ork"]["v1"];
  thing: ThingProto["bookstore"]["thing"]["v1"];
  book: BookProto["bookstore"]["book"]["v1"];
}

let cached: Contracts | undefined;

/** Loads all wire contracts once per process. */
export function loadContracts(): Contracts {
  if (cached) return cached;
  const protoDir = findProtoDir();
  const definition = protoLoader.loadSync([...Object.values(PROTO_FILES), healthProtoPath], {
    ...LOADER_OPTIONS,
    includeDirs: [protoDir, dirname(healthProtoPath)],
  });
  const root = grpc.loadPackageDefinition(definition) as unknown as WorkerProto & OrkProto & ThingProto & BookProto;
  cached = {
    definition,
    worker: root.bookstore.worker.v1,
    ork: root.bookstore.ork.v1,
    thing: root.bookstore.thing.v1,
    book: root.bookstore.book.v1,
  };
  return cached;
}
