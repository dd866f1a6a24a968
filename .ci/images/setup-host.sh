#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (as root) for the image scripts: podman/buildah and what they
# run containers with, Debian's arm64 package lists (for the stand-in base's arm64 libraries),
# and qemu registered through binfmt_misc so that arm64 containers run on amd64.
# Safe to run again: every step checks before it changes anything.
set -euo pipefail

if [[ "$(id -u)" != 0 ]]; then echo "setup-host.sh: run as root" >&2; exit 2; fi

export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
fi
# The arm64 package lists are needed by `apt-get download <pkg>:arm64`; refresh when missing.
if ! apt-cache show libc6:arm64 >/dev/null 2>&1; then
  apt-get update -q
fi
packages=(podman buildah runc conmon netavark aardvark-dns containernetworking-plugins
  skopeo qemu-user-static binfmt-support busybox-static)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# binfmt_misc is not mounted in every container sandbox; without it qemu cannot be registered.
if [[ ! -e /proc/sys/fs/binfmt_misc/register ]]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [[ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]]; then
  update-binfmts --enable qemu-aarch64
fi
# The F flag makes the kernel open the interpreter at registration, so it works in containers too.
grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 \
  || { echo "setup-host.sh: qemu-aarch64 is registered without the F flag" >&2; exit 1; }
echo "setup-host: podman $(podman --version | awk '{print $3}'), buildah $(buildah --version | awk '{print $3}'), qemu-aarch64 registered"
