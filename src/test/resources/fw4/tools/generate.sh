#!/usr/bin/env bash
# Generates fw4.nft, fw4.warnings.txt and fw4.json for each fixture directory given (default: all of them), by
# running firewall4 itself (through the mocks of its own test suite) and loading its output into a throw-away network
# namespace with the real nft. Needs root, nft, and ucode with its uci module plus a checkout of firewall4; see
# ../README.md for building them. Environment: FW4=<firewall4 checkout> UCODE=<ucode install prefix>.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${FW4:?set FW4 to a firewall4 checkout}" "${UCODE:?set UCODE to the ucode install prefix}"
export LD_LIBRARY_PATH="$UCODE/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
ucode="$UCODE/bin/ucode -L $UCODE/lib/ucode"
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || for f in "$here"/../*/firewall; do dirs+=("$(dirname "$f")"); done
for d in "${dirs[@]}"; do
	d=$(cd "$d" && pwd)
	work=$(mktemp -d)
	ns="rtfw4gen$$-$(basename "$d")"
	trap 'rm -rf "$work"; ip netns del "$ns" 2>/dev/null || true' EXIT
	$ucode "$here/uci2mock.uc" "$d" "$work/files"
	# fw4 print, as firewall4's tests run it: mocklib stands in for uci, ubus and the file system
	printf '%s\n' '{%' 'include("./root/usr/share/firewall4/main.uc", { getenv: (v) => (v == "ACTION") ? "print" : null })' '%}' > "$work/print.uc"
	(cd "$FW4" && $ucode -S -T, -L./tests/lib -L./root/usr/share/ucode \
		-D MOCK_SEARCH_PATH="[\"$work/files\", \"./tests/mocks\"]" -l mocklib -l fw4 - < "$work/print.uc") \
		> "$d/fw4.nft" 2> "$work/stderr"
	# fw4's own warnings; mocklib's notes about fixtures it lacks are colour-coded and left out
	grep '^\[!\] ' "$work/stderr" > "$d/fw4.warnings.txt" || true
	ip netns add "$ns"
	# a flowtable needs its devices: veth ends stand for them
	n=0
	for dev in $(sed -n 's/^\t\tdevices = { \(.*\) };$/\1/p' "$d/fw4.nft" | tr -d '",'); do
		n=$((n + 1))
		ip -n "$ns" link add "$dev" type veth peer name "peer$n"
	done
	# files fw4 includes by absolute path are taken from the fixture's root/ directory
	sed "s#^\(\t*\)include \"/\([^*]*\)\"#\1include \"$d/root/\2\"#" "$d/fw4.nft" > "$work/paths.nft"
	# nft 1.0.6 refuses a NAT port without a transport protocol match, which newer nft infer (see l4proto.py)
	python3 "$here/l4proto.py" "$work/paths.nft" "$work/files/uci/firewall.json" > "$work/load.nft"
	# a kernel without flow tables (nf_flow_table) refuses fw4's flowtable: it only moves established flows to a
	# fast path and decides no verdict, so it is left out of what is loaded there
	if grep -q '^	flowtable ft {' "$work/load.nft" && ! ip netns exec "$ns" nft -c -f - <<<'table inet ftcheck { flowtable ft { hook ingress priority 0; devices = { "peer1" }; } }' 2>/dev/null; then
		sed -i -e '/^\tflowtable ft {/,/^\t}/d' -e '/flow offload @ft;/d' "$work/load.nft"
		echo "  this kernel has no flow tables: the flowtable and its flow offload rule are not loaded"
	fi
	rm -f "$d/fw4.loaded.nft"
	if ! cmp -s "$work/paths.nft" "$work/load.nft"; then
		diff "$work/paths.nft" "$work/load.nft" | sed -n 's/^> \t*/  for nft 1.0.6: /p' || true
		cp "$work/load.nft" "$d/fw4.loaded.nft"   # what was loaded, kept where it differs
	fi
	ip netns exec "$ns" nft -f "$work/load.nft"
	ip netns exec "$ns" nft -j list ruleset | python3 -m json.tool --indent 1 > "$d/fw4.json"
	ip netns del "$ns"
	rm -rf "$work"
	trap - EXIT
	echo "$(basename "$d"): $(grep -c '' "$d/fw4.nft") lines of nft, $(grep -c '' "$d/fw4.warnings.txt") warnings"
done
