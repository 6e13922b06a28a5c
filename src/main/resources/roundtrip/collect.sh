#!/bin/sh
# roundtrip collector: writes this host's state as a roundtrip snapshot (HOST/ directory) into a tar.gz.
# It only reads: it changes nothing on the host. No secret leaves the host: WireGuard private and preshared keys
# and the content of OpenVPN inline blocks (keys, certificates, <auth-user-pass>, ...) are redacted, and files an
# OpenVPN config names for secrets are never copied; WireGuard public keys are kept so peers can be paired.
# Works with bash, dash and busybox ash. Usage: sh collect.sh [HOSTNAME] [OUTPUT.tar.gz]
set -u
# What it says to the person running it (roundtrip collect-script --lang zh prints these three lines in Chinese)
msg_ip_no_json="roundtrip: this 'ip' cannot print JSON (busybox ip?); install iproute2 (OpenWrt: opkg install ip-full)"
msg_wrote='roundtrip: wrote %s (host %s)\n'
msg_skipped='roundtrip: skipped:%b\n'
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
  ip -6 -j rule show >"$dir/ip6-rule.json" 2>/dev/null || rm -f "$dir/ip6-rule.json"
else
  rm -f "$dir/ip-addr.json"
  echo "$msg_ip_no_json" >&2
  exit 2
fi

# firewall: iptables (legacy or nft backend) and nftables
if have iptables-save; then iptables-save >"$dir/iptables-save.txt" 2>/dev/null || { rm -f "$dir/iptables-save.txt"; note "iptables-save failed"; }
else note "no iptables-save"; fi
if have ip6tables-save; then ip6tables-save >"$dir/ip6tables-save.txt" 2>/dev/null || rm -f "$dir/ip6tables-save.txt"; fi
# the members of the sets that iptables' -m set looks up
if have ipset; then ipset save >"$dir/ipset.txt" 2>/dev/null && [ -s "$dir/ipset.txt" ] || rm -f "$dir/ipset.txt"; fi
if have nft; then
  if ! nft -j list ruleset >"$dir/nft.json" 2>/dev/null || [ ! -s "$dir/nft.json" ]; then
    rm -f "$dir/nft.json"
    # an nft built without JSON (OpenWrt's nftables-nojson): its text listing says the same
    nft list ruleset >"$dir/nft.txt" 2>/dev/null || { rm -f "$dir/nft.txt"; note "nft list ruleset failed"; }
  fi
else note "no nft"; fi

# the sysctls that change packet handling, keyed as sysctl(8) prints them: a device's dots become slashes
# (/proc/sys/net/ipv4/conf/eth0.100/rp_filter is net.ipv4.conf.eth0/100.rp_filter)
sysctl_key() {
  rel=${1#/proc/sys/}
  case "$rel" in
    net/ipv4/conf/*/*|net/ipv6/conf/*/*)
      leaf=${rel##*/}; rest=${rel%/*}; ifn=${rest##*/}
      echo "$(echo "${rest%/*}" | tr '/' '.').$(echo "$ifn" | tr '.' '/').$leaf" ;;
    *) echo "$rel" | tr '/' '.' ;;
  esac
}
{
  for f in /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/ipv4/conf/*/forwarding \
           /proc/sys/net/ipv4/conf/*/src_valid_mark /proc/sys/net/ipv4/conf/*/proxy_arp /proc/sys/net/ipv4/conf/*/accept_local \
           /proc/sys/net/ipv4/conf/*/arp_ignore /proc/sys/net/ipv4/conf/*/route_localnet /proc/sys/net/ipv4/icmp_echo_ignore_all \
           /proc/sys/net/bridge/bridge-nf-call-iptables /proc/sys/net/bridge/bridge-nf-call-ip6tables \
           /proc/sys/net/bridge/bridge-nf-call-arptables /proc/sys/net/netfilter/nf_conntrack_tcp_loose \
           /proc/sys/net/netfilter/nf_conntrack_tcp_be_liberal; do
    [ -r "$f" ] || continue
    echo "$(sysctl_key "$f") = $(cat "$f")"
  done
  # IPv6's switches per device (all, default and each interface); force_forwarding only where the kernel has it
  for f in /proc/sys/net/ipv6/conf/*/forwarding /proc/sys/net/ipv6/conf/*/force_forwarding \
           /proc/sys/net/ipv6/conf/*/disable_ipv6 /proc/sys/net/ipv6/conf/*/accept_ra /proc/sys/net/ipv6/conf/*/accept_dad \
           /proc/sys/net/ipv6/conf/*/proxy_ndp; do
    [ -r "$f" ] || continue
    echo "$(sysctl_key "$f") = $(cat "$f")"
  done
} >"$dir/sysctl.txt" 2>/dev/null
# the neighbour proxy entries (ip -6 neigh add proxy ADDR dev DEV) a host answers NDP solicitations for
ip -6 -j neigh show proxy >"$dir/ip6-neigh-proxy.json" 2>/dev/null && [ -s "$dir/ip6-neigh-proxy.json" ] \
  || rm -f "$dir/ip6-neigh-proxy.json"

# listening sockets
if have ss; then ss -Hlntu >"$dir/ss-listen.txt" 2>/dev/null || { rm -f "$dir/ss-listen.txt"; note "ss failed"; }
else note "no ss: every probed port will be taken as open"; fi

# WireGuard: showconf with the private and preshared keys redacted, the public key kept. wireguard-go serves each
# interface on a socket in /var/run/wireguard, which every network namespace sharing the file system sees, and `wg`
# asks that socket before the kernel: an interface is taken only if it exists here (ip link) and, when it has a
# socket, the socket file is the one a listening socket of this network namespace is bound to (ss -xe lists only
# this namespace's, with the inode and device of their file), so another namespace's configuration is never mixed in.
wg_here() {
  ip link show dev "$1" >/dev/null 2>&1 || return 1
  sock=""
  for d in /var/run/wireguard /run/wireguard; do [ -z "$sock" ] && [ -S "$d/$1.sock" ] && sock="$d/$1.sock"; done
  [ -z "$sock" ] && return 0
  id=$(stat -L -c '%d %i' "$sock" 2>/dev/null)
  if have ss && [ -n "$id" ] && ss -xle 2>/dev/null | awk -v id="$id" '
      { ino = ""; dev = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^ino:/) ino = substr($i, 5)
          # dev:MAJOR/MINOR as st_dev encodes it (new_encode_dev)
          if ($i ~ /^dev:/) { split(substr($i, 5), m, "/"); dev = (m[2] % 256) + m[1] * 256 + int(m[2] / 256) * 1048576 }
        }
        if (ino != "" && dev " " ino == id) found = 1 }
      END { exit !found }'; then return 0; fi
  note "wg $1: $sock is not a socket of this network namespace (another namespace's wireguard-go, or no ss/stat to tell): not collected"
  return 1
}
if have wg; then
  for ifc in $(wg show interfaces 2>/dev/null); do
    wg_here "$ifc" || continue
    mkdir -p "$dir/wg"
    pub=$(wg show "$ifc" public-key 2>/dev/null)
    wg showconf "$ifc" 2>/dev/null | sed -e 's/^\(PrivateKey *= *\).*/\1(redacted)/' -e 's/^\(PresharedKey *= *\).*/\1(redacted)/' \
      | awk -v pub="$pub" '{ print } /^\[Interface\]/ { print "# PublicKey = " pub }' >"$dir/wg/$ifc.conf"
  done
else note "no wg: WireGuard interfaces (if any) are not described"; fi

# OpenVPN: configs, client-config-dir files and status files. An inline block is a line holding only <tag> up to a
# line starting with </tag> (options.c check_inline_file): the content of every one but <connection> is redacted
# (keys, certificates, <auth-user-pass>, <http-proxy-user-pass>, <tls-crypt-v2>, ...), and so is any PEM block.
redact_ovpn() {
  awk '
    function opening(line,   t) {
      t = line; sub(/\r$/, "", t); sub(/^[ \t]+/, "", t); sub(/[ \t]+[#;].*$/, "", t); sub(/[ \t]+$/, "", t)
      if (t ~ /^<[^<>\/ \t]+>$/) return substr(t, 2, length(t) - 2)
      return ""
    }
    function closing(line, tag,   t) { t = line; sub(/^[ \t]+/, "", t); return index(t, "</" tag ">") == 1 }
    {
      if (pem) { if ($0 ~ /-----END /) pem = 0; next }
      if (tag != "") {
        if (closing($0, tag)) { tag = ""; inner = ""; print; next }
        if (tag != "connection") next
        if (inner != "") { if (closing($0, inner)) { inner = ""; print }; next }
        t = opening($0); if (t != "") { inner = t; print; print "(redacted)"; next }
      } else {
        t = opening($0); if (t != "") { tag = t; print; if (t != "connection") print "(redacted)"; next }
      }
      if ($0 ~ /-----BEGIN /) { print "(redacted)"; pem = 1; next }
      print
    }' "$1"
}
# The files a config names for secrets (auth-user-pass, askpass, keys, management and proxy passwords), absolute:
# relative names are relative to its cd directory, else to the config's own. None of them is ever copied.
ovpn_secret_files() {
  base=$(awk '$1 == "cd" || $1 == "--cd" { print $2 }' "$1" | tail -n 1)
  [ -n "$base" ] || base=$(dirname "$1")
  awk '$1 ~ /^(--)?(auth-user-pass|askpass|key|tls-auth|tls-crypt|tls-crypt-v2|secret|pkcs12)$/ && NF >= 2 { print $2 }
       $1 ~ /^(--)?(management|http-proxy)$/ && NF >= 4 { print $4 }' "$1" | tr -d '"'"'"'\r' \
    | while read -r f; do case "$f" in /*) echo "$f" ;; *) echo "$base/$f" ;; esac; done \
    | while read -r f; do readlink -f "$f" 2>/dev/null || echo "$f"; done
}
is_secret() { [ -n "$secrets" ] && printf '%s\n' "$secrets" | grep -qxF "$(readlink -f "$1" 2>/dev/null || echo "$1")"; }
for conf in /etc/openvpn/*.conf /etc/openvpn/server/*.conf /etc/openvpn/client/*.conf; do
  [ -r "$conf" ] || continue
  mkdir -p "$dir/openvpn"
  redact_ovpn "$conf" >"$dir/openvpn/$(basename "$conf")"
  secrets=$(ovpn_secret_files "$conf")
  ccd=$(awk '$1 == "client-config-dir" { print $2 }' "$conf" | head -n 1)
  case "$ccd" in ""|/*) ;; *) ccd="$(dirname "$conf")/$ccd";; esac
  if [ -n "$ccd" ] && [ -d "$ccd" ]; then
    mkdir -p "$dir/openvpn/ccd"
    for f in "$ccd"/*; do
      [ -f "$f" ] && [ -r "$f" ] || continue
      if is_secret "$f"; then note "OpenVPN: $f holds a secret the config names: not copied"; continue; fi
      redact_ovpn "$f" >"$dir/openvpn/ccd/$(basename "$f")"
    done
  fi
  status=$(awk '$1 == "status" { print $2 }' "$conf" | head -n 1)
  case "$status" in ""|/*) ;; *) status="$(dirname "$conf")/$status";; esac
  if [ -n "$status" ] && [ -r "$status" ] && ! is_secret "$status"; then
    # a server writes its client list there, a client its statistics: one status.log, the list wins
    head=$(head -n 1 "$status" | tr -d '\r')
    case "$head" in
      "OpenVPN CLIENT LIST"|TITLE*|TIME*|HEADER*) cp "$status" "$dir/openvpn/status.log" ;;
      "OpenVPN STATISTICS") [ -f "$dir/openvpn/status.log" ] || cp "$status" "$dir/openvpn/status.log" ;;
      "") ;;
      *) note "OpenVPN: $status is not a status file: not copied" ;;
    esac
  fi
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
printf "$msg_wrote" "$out" "$host" >&2
[ -n "$skipped" ] && printf "$msg_skipped" "$skipped" >&2
exit 0
