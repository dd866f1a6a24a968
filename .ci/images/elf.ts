// Which machine each ELF file of an image's root filesystem is built for: an arm64 image must
// hold no x86-64 binary (node, busybox, libraries, or a native addon that slipped into a bundle).

import { closeSync, openSync, readSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { Arch } from "./podman.js";

/** e_machine values of the ELF header (System V ABI), for the architectures the images target. */
const MACHINES: Readonly<Record<number, Arch>> = { 62: "amd64", 183: "arm64" };

export interface ElfFile {
  /** Path inside the root filesystem, from its top. */
  path: string;
  /** The architecture, or the raw e_machine number when it is neither amd64 nor arm64. */
  machine: Arch | number;
}

/** The machine of an ELF header, or undefined when the bytes are not an ELF header. */
export function elfMachine(header: Uint8Array): Arch | number | undefined {
  if (header.length < 20 || header[0] !== 0x7f || header[1] !== 0x45 || header[2] !== 0x4c || header[3] !== 0x46) return undefined;
  const littleEndian = header[5] === 1;
  const low = header[littleEndian ? 18 : 19] ?? 0;
  const high = header[littleEndian ? 19 : 18] ?? 0;
  const machine = low | (high << 8);
  return MACHINES[machine] ?? machine;
}

function readHeader(file: string): Uint8Array {
  const header = new Uint8Array(20);
  const fd = openSync(file, "r");
  try {
    const read = readSync(fd, header, 0, header.length, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Every regular ELF file under a mounted root filesystem (symlinks are not followed). */
export function elfFiles(rootfs: string): ElfFile[] {
  const found: ElfFile[] = [];
  for (const entry of readdirSync(rootfs, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const machine = elfMachine(readHeader(file));
    if (machine !== undefined) found.push({ path: `/${relative(rootfs, file)}`, machine });
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}
