#!/usr/bin/env bash
# Builds local STAND-INS for the public base images the suite's Dockerfile and compose file name:
#   mcr.microsoft.com/dotnet/sdk:10.0     a minimal Debian root (debootstrap) + this machine's .NET SDK
#   mcr.microsoft.com/dotnet/aspnet:10.0  the same root + the .NET and ASP.NET Core runtimes, user app (uid 1654)
#   postgres:15                           Debian's PostgreSQL 15 + an entrypoint honouring the official image's contract
# They exist ONLY because our development and CI machines cannot pull public images. In a real deployment
# the public images are used and this script is not needed. Each image is built once and skipped when present
# (--rebuild builds them again). Needs root and podman (see .ci/deploy-test for the packages and settings).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
suite_codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
base_image="localhost/bimtek-stand-in/debian:${suite_codename}"
sdk_image="mcr.microsoft.com/dotnet/sdk:10.0"
aspnet_image="mcr.microsoft.com/dotnet/aspnet:10.0"
postgres_image="docker.io/library/postgres:15"
dotnet_root="${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}"
rebuild=false
[ "${1:-}" = "--rebuild" ] && rebuild=true
# What the images are made from: the Containerfiles and entrypoint, the way build_base makes the root
# (raise base_recipe when changing it), and the host's .NET versions. An image built from other inputs is
# built again.
base_recipe=2
inputs="$( (echo "$base_recipe"; cat "$here"/stand-ins/*) | sha256sum | cut -c1-16)-$(ls "$dotnet_root/sdk" "$dotnet_root/shared/"* | sha256sum | cut -c1-8)"
label=io.bimtek.stand-in.inputs

log() { printf '[stand-ins] %s\n' "$*"; }

present() {
    ! $rebuild && podman image exists "$1" \
        && [ "$(podman image inspect --format "{{index .Labels \"$label\"}}" "$1" 2>/dev/null)" = "$inputs" ]
}

# The Debian mirror this machine's apt already uses (deb822 .sources files first, then one-line lists).
debian_mirror() {
    local uri
    uri="$(awk -v suite="$suite_codename" '
        BEGIN { RS = ""; FS = "\n" }
        {
            uris = ""; suites = ""; components = ""
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
                if ($i ~ /^Suites:/) { suites = " " $i " " }
                if ($i ~ /^Components:/) { components = " " $i " " }
            }
            if (uris != "" && suites ~ (" " suite " ") && components ~ / main /) { split(uris, u, " "); print u[1]; exit }
        }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri="$(awk -v suite="$suite_codename" '$1 == "deb" && $3 == suite { print $2; exit }' /etc/apt/sources.list)"
    fi
    [ -n "$uri" ] || { echo "No Debian mirror for $suite_codename in apt's sources" >&2; exit 1; }
    printf '%s\n' "$uri"
}

build_base() {
    if present "$base_image"; then log "$base_image present"; return; fi
    local mirror root
    mirror="$(debian_mirror)"
    root="$(mktemp -d /var/tmp/bimtek-debootstrap.XXXXXX)"
    trap 'rm -rf "$root"' RETURN
    log "debootstrap --variant=minbase $suite_codename from apt's mirror"
    debootstrap --variant=minbase --include=ca-certificates "$suite_codename" "$root" "$mirror" >"$root.log" 2>&1 \
        || { tail -n 30 "$root.log" >&2; exit 1; }
    rm -f "$root.log"
    # HTTPS from inside the images (NuGet restore, apt over https) goes through the same egress as the host's:
    # trust the host's extra CA certificates as the host does.
    if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
        chroot "$root" update-ca-certificates >/dev/null
    fi
    printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90stand-in"
    # As Debian's official image does: apt keeps no package caches in image layers.
    cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/*
    tar -C "$root" -c . | podman import --change 'CMD ["bash"]' --change "LABEL $label=$inputs" - "$base_image" >/dev/null
    log "built $base_image"
    rebuild=true   # the images on top of it are stale now
}

build_sdk() {
    if present "$sdk_image"; then log "$sdk_image present"; return; fi
    log "building $sdk_image from $dotnet_root"
    podman build --quiet --label "$label=$inputs" --build-arg "BASE=$base_image" -f "$here/stand-ins/sdk.Containerfile" -t "$sdk_image" "$dotnet_root" >/dev/null
}

build_aspnet() {
    if present "$aspnet_image"; then log "$aspnet_image present"; return; fi
    log "building $aspnet_image from $dotnet_root (runtimes only)"
    podman build --quiet --label "$label=$inputs" --build-arg "BASE=$base_image" -f "$here/stand-ins/aspnet.Containerfile" -t "$aspnet_image" "$dotnet_root" >/dev/null
}

build_postgres() {
    if present "$postgres_image"; then log "$postgres_image present"; return; fi
    log "building $postgres_image from Debian's postgresql-15"
    podman build --quiet --label "$label=$inputs" --build-arg "BASE=$base_image" -f "$here/stand-ins/postgres.Containerfile" -t "$postgres_image" "$here/stand-ins" >/dev/null
}

command -v podman >/dev/null || { echo "podman is not installed (apt-get install -y podman runc)" >&2; exit 1; }
# One build at a time (CI's deployment test and Testcontainers run may both ask): the second waits, then skips.
exec 9>/run/lock/bimtek-stand-ins.lock
flock 9
build_base
build_sdk
build_aspnet
build_postgres
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' \
    | grep -E "^(${sdk_image}|${aspnet_image}|${postgres_image}) " | sed 's/^/[stand-ins] /'
