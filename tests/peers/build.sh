#!/usr/bin/env bash
# Builds the Go peers (go-kv-plugin, go-echo-plugin, go-host) against HashiCorp's go-plugin 1.0.1 and grpc-go
# from Debian's packages (tests/peers/packages.txt), offline, in GOPATH mode.
#
#   tests/peers/build.sh <outdir>
#   GOOS=windows GOARCH=amd64 tests/peers/build.sh <outdir>    # for the Windows lane: go-kv-plugin.exe, ...
#
# The binaries land in <outdir>; the Go code generated from protos/ and the build cache live in
# <outdir>/.gopath and <outdir>/.gocache (nothing generated is written into the repository).
# Exit codes: 0 built; 3 skipped, with one "skipped: ..." line on stderr, when the toolchain or the Go sources
# are not installed; 2 usage; anything else a real failure.
set -uo pipefail

die() { echo "tests/peers/build.sh: $*" >&2; exit 1; }
skip() { echo "skipped: $*" >&2; exit 3; }

[ $# -eq 1 ] && [ -n "$1" ] || { echo "usage: $0 <outdir>" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)" || die "cannot find the script's directory"
repo="$(cd "$here/../.." && pwd)" || die "cannot find the repository"
gocode="${GO_PEERS_GOCODE:-/usr/share/gocode}"
install_hint="install the Debian packages in tests/peers/packages.txt: apt-get install -y \$(cat tests/peers/packages.txt)"

# --- what must be installed: else skip (exit 3) with the reason -------------------------------------------
missing=()
for tool in go protoc protoc-gen-go; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    skip "go toolchain not installed (missing ${missing[*]}); $install_hint"
fi
wkt=""
for dir in "$(dirname "$(command -v protoc)")/../include" /usr/include /usr/local/include; do
    if [ -f "$dir/google/protobuf/empty.proto" ]; then wkt="$(cd "$dir" && pwd)"; break; fi
done
[ -n "$wkt" ] || skip "go toolchain not installed (missing protobuf's well-known .proto files, google/protobuf/empty.proto: libprotobuf-dev); $install_hint"
for pkg in github.com/hashicorp/go-plugin github.com/hashicorp/go-hclog github.com/hashicorp/yamux \
           github.com/oklog/run github.com/mitchellh/go-testing-interface github.com/golang/protobuf/ptypes/empty \
           github.com/fatih/color github.com/mattn/go-colorable github.com/mattn/go-isatty \
           google.golang.org/grpc/reflection google.golang.org/genproto/googleapis/rpc/status \
           golang.org/x/net/http2 golang.org/x/sys/unix golang.org/x/text/unicode/bidi; do
    [ -d "$gocode/src/$pkg" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    skip "go toolchain not installed (missing Go sources under $gocode/src: ${missing[*]}); $install_hint"
fi

# --- build --------------------------------------------------------------------------------------------------
began=$(date +%s.%N)
mkdir -p "$1" || die "cannot create $1"
out="$(cd "$1" && pwd)" || die "cannot enter $1"
gopath="$out/.gopath"
src="$gopath/src/rpcpluginpeers"
protodir="$gopath/proto"

export GO111MODULE=off GOPATH="$gocode:$gopath" GOPROXY=off GOFLAGS= GOENV=off CGO_ENABLED=0 \
       GOCACHE="$out/.gocache" GOTOOLCHAIN=local

rm -rf "$src" "$protodir" || die "cannot clean $gopath"
mkdir -p "$src/gen/kv" "$src/gen/goecho" "$src/gen/testplugin" "$protodir/examples" "$protodir/peers" "$protodir/test" \
    || die "cannot create $gopath"
cp -R "$here/go/peer" "$here/go/cmd" "$src/" || die "cannot copy the Go sources"

# The .proto files, as the repository has them, except that testplugin.proto loses its proto3 'optional'
# keywords: protoc-gen-go 1.3 does not support them (protoc refuses), and go-host does not use that field
# (the wire format of 'optional int32' and 'int32' is the same).
cp "$repo/protos/examples/kv.proto" "$protodir/examples/" || die "missing protos/examples/kv.proto"
cp "$repo/protos/peers/echo.proto" "$protodir/peers/" || die "missing protos/peers/echo.proto"
sed -E 's/^([[:space:]]*)optional[[:space:]]+/\1/' "$repo/protos/test/testplugin.proto" > "$protodir/test/testplugin.proto" \
    || die "missing protos/test/testplugin.proto"

mopts="plugins=grpc"
for t in any duration empty struct timestamp wrappers; do
    mopts="$mopts,Mgoogle/protobuf/$t.proto=github.com/golang/protobuf/ptypes/$t"
done
mopts="$mopts,Mexamples/kv.proto=rpcpluginpeers/gen/kv"
mopts="$mopts,Mpeers/echo.proto=rpcpluginpeers/gen/goecho"
mopts="$mopts,Mtest/testplugin.proto=rpcpluginpeers/gen/testplugin"

gen() { # gen <proto relative to $protodir> <package dir under gen/>
    local scratch="$gopath/protoc-out"
    rm -rf "$scratch" && mkdir -p "$scratch" || die "cannot create $scratch"
    protoc -I "$protodir" -I "$wkt" --go_out="$mopts,paths=source_relative:$scratch" "$1" \
        || die "protoc failed on $1"
    mv "$scratch/${1%.proto}.pb.go" "$src/gen/$2/" || die "protoc made no Go file for $1"
    rm -rf "$scratch"
}
gen examples/kv.proto kv
gen peers/echo.proto goecho
gen test/testplugin.proto testplugin

unformatted="$(gofmt -l "$here/go" 2>/dev/null || true)"
[ -z "$unformatted" ] || echo "tests/peers/build.sh: warning: not gofmt-formatted: $unformatted" >&2

bins=(go-kv-plugin go-echo-plugin go-host)
tmpbin="$out/.bin.tmp"
rm -rf "$tmpbin" && mkdir -p "$tmpbin" || die "cannot create $tmpbin"
(cd "$src" && go build -trimpath -o "$tmpbin/" "${bins[@]/#/rpcpluginpeers/cmd/}") || die "go build failed"
exe="$(go env GOEXE)" # .exe when cross-compiling for Windows
for b in "${bins[@]}"; do
    # Replace by rename so that a binary still running from an earlier build is not disturbed.
    mv -f "$tmpbin/$b$exe" "$out/$b$exe" || die "cannot move $b$exe into $out"
done
rmdir "$tmpbin" 2>/dev/null || true

took=$(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "tests/peers/build.sh: built ${bins[*]} for $(go env GOOS)/$(go env GOARCH) into $out in ${took}s ($(go version | awk '{print $3}'), go-plugin $(dpkg-query -W -f='${Version}' golang-github-hashicorp-go-plugin-dev 2>/dev/null || echo '?'))" >&2
