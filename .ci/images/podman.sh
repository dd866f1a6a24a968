#!/usr/bin/env bash
# podman with this checkout's image store and settings, so that every image script and test
# (and skopeo, through the same --root) sees the same images. The store lives in the checkout
# under the git-ignored .ci/.cache/, so a fresh CI clone starts empty.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CONTAINERS_CONF="$repo_root/.ci/images/containers.conf"
# BOOKSTORE_PODMAN_RUNROOT: only for a second checkout on the same machine (its store must not
# share run-time state with the first one's); both still share podman's lock segment, so run
# their image scripts one at a time.
exec podman \
  --root "$repo_root/.ci/.cache/containers/storage" \
  --runroot "${BOOKSTORE_PODMAN_RUNROOT:-/tmp/bookstore-podman-run}" \
  --storage-driver overlay \
  "$@"
