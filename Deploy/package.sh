#!/usr/bin/env bash
# Builds the Debian package bordernet_<version>_<arch>.deb from a release build.
#
#   Deploy/package.sh [OUT_DIR]          (default OUT_DIR: the repository root; `make package`)
#
# What it does, in order:
#   1. swift build -c release --static-swift-stdlib --disable-local-rpath (the Swift standard
#      library and Foundation linked in: the package needs no Swift runtime on the server, only
#      the system libraries named in Depends), in a scratch folder of its own (.build-release) so
#      that it never fights the debug build in .build, and so that a second run only relinks;
#   2. the man page bordernet(1) from the command's own help (swift-argument-parser's
#      generate-manual, built offline from the same checkout; if that fails, Deploy/debian/
#      manpage-from-help.sh);
#   3. a package tree: /usr/bin/bordernet, /usr/share/bordernet/{schemas,region}, the systemd
#      units in /lib/systemd/system, /etc/bordernet/{node.toml.example,README}, the docs;
#   4. DEBIAN/control from Deploy/debian/control.in (version from Sources/bordernet/
#      BorderNetVersion.swift, architecture from dpkg, Depends from dpkg-shlibdeps when dpkg-dev is
#      there, else from the libraries the binary needs), the maintainer scripts, md5sums;
#   5. dpkg-deb --root-owner-group --build.
#
# Environment: SWIFT (default swift); BORDERNET_RELEASE_SCRATCH (default .build-release).
# Prints the path of the package on its last line.
set -euo pipefail

repository=$(cd "$(dirname "$0")/.." && pwd)
cd "$repository"
out_dir=$(realpath -m "${1:-$repository}")
swift=${SWIFT:-swift}
scratch=${BORDERNET_RELEASE_SCRATCH:-$repository/.build-release}

version=$(sed -n 's/^ *static let current = "\([^"]*\)".*/\1/p' Sources/bordernet/BorderNetVersion.swift)
[ -n "$version" ] || { echo "package.sh: no version in Sources/bordernet/BorderNetVersion.swift" >&2; exit 1; }
architecture=$(dpkg --print-architecture)
package="bordernet_${version}_${architecture}"

# 1. Release build.
build_flags=(-c release --static-swift-stdlib --disable-local-rpath --scratch-path "$scratch")
echo "==> swift build ${build_flags[*]} (bordernet $version, $architecture)" >&2
"$swift" build "${build_flags[@]}" --product bordernet >&2
binary_dir=$("$swift" build "${build_flags[@]}" --show-bin-path)
binary="$binary_dir/bordernet"
"$binary" --version >/dev/null

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$package"
mkdir -p "$root/DEBIAN"

# 3. The tree (the man page, step 2, comes after the binary is in place).
install -D -m 0755 "$binary" "$root/usr/bin/bordernet"
strip --strip-unneeded "$root/usr/bin/bordernet"
mkdir -p "$root/usr/share/bordernet"
cp -r Schemas "$root/usr/share/bordernet/schemas"
install -D -m 0644 Deploy/region/rabat-declaration.toml "$root/usr/share/bordernet/region/rabat-declaration.toml"
for unit in Deploy/systemd/*.service Deploy/systemd/*.timer; do
    install -D -m 0644 "$unit" "$root/lib/systemd/system/$(basename "$unit")"
done
install -D -m 0644 Deploy/debian/etc-README "$root/etc/bordernet/README"
# The example configuration is what `bordernet init` writes, so that it never drifts from the
# defaults of docs/CONFIGURATION.md.
example=$(mktemp -d)
"$binary" init --state XX --name example --data "$example/node" \
    --secretariat-key 0000000000000000000000000000000000000000000000000000000000000000 >/dev/null
install -D -m 0644 "$example/node/node.toml" "$root/etc/bordernet/node.toml.example"
rm -rf "$example"
docs="$root/usr/share/doc/bordernet"
install -D -m 0644 README.md "$docs/README.md"
for doc in OPERATIONS CONFIGURATION PROTOCOL SCHEMAS ARCHITECTURE CONSOLE STIX TAXII; do
    [ -f "docs/$doc.md" ] && install -D -m 0644 "docs/$doc.md" "$docs/$doc.md"
done
# The STIX extension's schema (docs/STIX.md): what an agency's platform publishes or reads.
install -D -m 0644 docs/stix/bulletin-extension.schema.json "$docs/stix/bulletin-extension.schema.json"
# The console's TLS proxy (docs/CONSOLE.md, Deployment): an example the operator copies to nginx.
install -D -m 0644 Deploy/nginx/bordernet-console.conf "$docs/nginx/bordernet-console.conf"
install -D -m 0644 Deploy/debian/copyright "$docs/copyright"

# 2. The man page.
date_epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
manual_date=$(date -u -d "@$date_epoch" +%Y-%m-%d)
manual=$(mktemp -d)
if "$swift" build "${build_flags[@]}" --product generate-manual >&2 \
    && "$binary_dir/generate-manual" "$binary" --date "$manual_date" --section 1 \
        --authors "BorderNet maintainers" --output-directory "$manual" >&2 \
    && [ -s "$manual/bordernet.1" ]; then
    echo "==> man page from generate-manual" >&2
else
    echo "==> generate-manual failed; man page from bordernet help" >&2
    Deploy/debian/manpage-from-help.sh "$binary" "$manual_date" >"$manual/bordernet.1"
fi
install -d "$root/usr/share/man/man1"
gzip -9n <"$manual/bordernet.1" >"$root/usr/share/man/man1/bordernet.1.gz"
rm -rf "$manual"

# 4. Control files.
depends=""
if command -v dpkg-shlibdeps >/dev/null; then
    # dpkg-shlibdeps wants a source package's debian/control beside it; give it a minimal one.
    shlibs=$(mktemp -d)
    mkdir -p "$shlibs/debian"
    printf 'Source: bordernet\n\nPackage: bordernet\nArchitecture: any\n' >"$shlibs/debian/control"
    depends=$(cd "$shlibs" && dpkg-shlibdeps -O "$root/usr/bin/bordernet" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
    rm -rf "$shlibs"
fi
if [ -z "$depends" ]; then
    # Without dpkg-dev: the package of every library the binary names (NEEDED), unversioned.
    depends=$(objdump -p "$root/usr/bin/bordernet" | awk '/NEEDED/ {print $2}' | while read -r library; do
        path=$(ldconfig -p | awk -v l="$library" '$1 == l {print $NF; exit}')
        [ -n "$path" ] && dpkg -S "$(readlink -f "$path")" 2>/dev/null | cut -d: -f1 | head -n 1 \
            || dpkg -S "*/$library" 2>/dev/null | cut -d: -f1 | head -n 1
    done | sort -u | paste -sd, | sed 's/,/, /g')
fi
for required in libsodium23 libzmq5 libsqlite3-0; do
    case "$depends" in *"$required"*) ;; *) depends="${depends:+$depends, }$required" ;; esac
done
installed_size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCHITECTURE@/$architecture/" -e "s/@DEPENDS@/$depends/" \
    -e "s/@INSTALLED_SIZE@/$installed_size/" Deploy/debian/control.in >"$root/DEBIAN/control"
for script in postinst prerm postrm; do
    install -m 0755 "Deploy/debian/$script" "$root/DEBIAN/$script"
done
(cd "$root" && find etc -type f | sed 's|^|/|' | sort) >"$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 md5sum | sed 's|  \./|  |') \
    >"$root/DEBIAN/md5sums"

# 5. The package.
mkdir -p "$out_dir"
dpkg-deb --root-owner-group --build "$root" "$out_dir/$package.deb" >&2
echo "==> $(du -h "$out_dir/$package.deb" | cut -f1) $out_dir/$package.deb; Depends: $depends" >&2
echo "$out_dir/$package.deb"
