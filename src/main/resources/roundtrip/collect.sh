#!/bin/sh
# roundtrip collector: writes this host's state as a roundtrip snapshot (HOST/ directory) into a tar.gz.
# It only reads: it changes nothing on the host. Secrets are redacted (WireGuard private and preshared
# keys, OpenVPN inline keys and certificates); WireGuard public keys are kept so peers can be paired.
# Works with bash, dash and busybox ash. Usage: sh collect.sh [HOSTNAME] [OUTPUT.tar.gz]
set -u
host=${1:-$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)}
out=${2:-./roundtrip-$host.tar.gz}
work=$(mktemp -d 2>/dev/null || echo "/tmp/roundtrip-collect.$$")
mkdir -p "$work/$host" || exit 1
dir=$work/$host
trap 'rm -rf "$work"' EXIT INT TERM
skipped=""
note() { skipped="$skipped\n  - $*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# addresses, routes (all tables), policy rules: JSON as iproute2 prints it
if ip -j -d addr show >"$dir/ip-addr.json" 2>/dev/null && [ -s "$dir/ip-addr.json" ]; then
  ip -j -d route show table all >"$dir/ip-route.json" 2>/dev/null || note "ip -j route failed"
  ip -j rule show >"$dir/ip-rule.json" 2>/dev/null || { rm -f "$dir/ip-rule.json"; note "ip -j rule failed"; }
  ip -6 -j -d route show table all >"$dir/ip6-route.json" 2>/dev/null || rm -f "$dir/ip6-route.json"
else
  rm -f "$dir/ip-addr.json"
  echo "roundtrip: this 'ip' cannot print JSON (busybox ip?); install iproute2 (OpenWrt: opkg install ip-full)" >&2
  exit 2
fi

# firewall: iptables (legacy or nft backend) and nftables
if have iptables-save; then iptables-save >"$dir/iptables-save.txt" 2>/dev/null || { rm -f "$dir/iptables-save.txt"; note "iptables-save failed"; }
else note "no iptables-save"; fi
if have ip6tables-save; then ip6tables-save >"$dir/ip6tables-save.txt" 2>/dev/null || rm -f "$dir/ip6tables-save.txt"; fi
if have nft; then
  if ! nft -j list ruleset >"$dir/nft.json" 2>/dev/null || [ ! -s "$dir/nft.json" ]; then
    rm -f "$dir/nft.json"
    # an nft built without JSON (OpenWrt's nftables-nojson): its text listing says the same
    nft list ruleset >"$dir/nft.txt" 2>/dev/null || { rm -f "$dir/nft.txt"; note "nft list ruleset failed"; }
  fi
else note "no nft"; fi

# the sysctls that change packet handling
{
  for f in /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/ipv4/conf/*/forwarding \
           /proc/sys/net/ipv4/conf/*/src_valid_mark /proc/sys/net/ipv4/conf/*/proxy_arp /proc/sys/net/ipv4/conf/*/accept_local \
           /proc/sys/net/ipv4/conf/*/arp_ignore /proc/sys/net/ipv4/conf/*/route_localnet /proc/sys/net/ipv4/icmp_echo_ignore_all \
           /proc/sys/net/bridge/bridge-nf-call-iptables /proc/sys/net/bridge/bridge-nf-call-ip6tables \
           /proc/sys/net/bridge/bridge-nf-call-arptables /proc/sys/net/netfilter/nf_conntrack_tcp_loose \
           /proc/sys/net/netfilter/nf_conntrack_tcp_be_liberal; do
    [ -r "$f" ] || continue
    key=$(echo "${f#/proc/sys/}" | tr '/' '.')
    echo "$key = $(cat "$f")"
  done
} >"$dir/sysctl.txt" 2>/dev/null

# listening sockets
if have ss; then ss -Hlntu >"$dir/ss-listen.txt" 2>/dev/null || { rm -f "$dir/ss-listen.txt"; note "ss failed"; }
else note "no ss: every probed port will be taken as open"; fi

# WireGuard: showconf with the private and preshared keys redacted, the public key kept
if have wg; then
  for ifc in $(wg show interfaces 2>/dev/null); do
    mkdir -p "$dir/wg"
    pub=$(wg show "$ifc" public-key 2>/dev/null)
    wg showconf "$ifc" 2>/dev/null | sed -e 's/^\(PrivateKey *= *\).*/\1(redacted)/' -e 's/^\(PresharedKey *= *\).*/\1(redacted)/' \
      | awk -v pub="$pub" '{ print } /^\[Interface\]/ { print "# PublicKey = " pub }' >"$dir/wg/$ifc.conf"
  done
else note "no wg: WireGuard interfaces (if any) are not described"; fi

# OpenVPN: configs with inline secrets redacted, client-config-dir files and status files
redact_ovpn() {
  awk '/^<(key|tls-auth|tls-crypt|tls-crypt-v2|secret|pkcs12|ca|cert|extra-certs|dh)>/ { print; print "(redacted)"; skip=1; next }
       /^<\/(key|tls-auth|tls-crypt|tls-crypt-v2|secret|pkcs12|ca|cert|extra-certs|dh)>/ { skip=0 }
       !skip { print }' "$1"
}
for conf in /etc/openvpn/*.conf /etc/openvpn/server/*.conf /etc/openvpn/client/*.conf; do
  [ -r "$conf" ] || continue
  mkdir -p "$dir/openvpn"
  redact_ovpn "$conf" >"$dir/openvpn/$(basename "$conf")"
  ccd=$(awk '$1 == "client-config-dir" { print $2 }' "$conf" | head -n 1)
  case "$ccd" in ""|/*) ;; *) ccd="$(dirname "$conf")/$ccd";; esac
  if [ -n "$ccd" ] && [ -d "$ccd" ]; then mkdir -p "$dir/openvpn/ccd"; cp "$ccd"/* "$dir/openvpn/ccd/" 2>/dev/null; fi
  status=$(awk '$1 == "status" { print $2 }' "$conf" | head -n 1)
  case "$status" in ""|/*) ;; *) status="$(dirname "$conf")/$status";; esac
  if [ -n "$status" ] && [ -r "$status" ]; then cp "$status" "$dir/openvpn/status.log"; fi
done

# what survives a reboot
for saved in /etc/iptables/rules.v4 /etc/sysconfig/iptables /etc/nftables.conf; do
  [ -r "$saved" ] || continue
  mkdir -p "$dir/saved"
  case "$saved" in
    */rules.v4|*/sysconfig/iptables) cp "$saved" "$dir/saved/iptables-rules.v4" ;;
    *) cp "$saved" "$dir/saved/nftables.conf" ;;
  esac
done

(cd "$work" && tar -czf - "$host") >"$out" || exit 1
echo "roundtrip: wrote $out (host $host)" >&2
[ -n "$skipped" ] && printf "roundtrip: skipped:$skipped\n" >&2
exit 0
