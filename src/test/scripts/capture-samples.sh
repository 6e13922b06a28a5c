#!/bin/bash
# Captures REAL iproute2 / sysctl / ss output from three throw-away network namespaces (client, router, nas)
# into a snapshot directory (design §1a). Nothing is configured in the root namespace and no namespace is
# connected to it; everything created is removed by its exact name on exit.
# Usage: capture-samples.sh OUTDIR     (needs root, iproute2, socat)
set -u
OUT=${1:?output dir}
TAG=rtimp-$RANDOM
C=$TAG-client R=$TAG-router N=$TAG-nas
PIDS=()
cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for ns in "$C" "$R" "$N"; do ip netns del "$ns" 2>/dev/null; rm -rf "/etc/netns/$ns"; done
}
trap cleanup EXIT
set -e
for ns in "$C" "$R" "$N"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done

# The router knows a named table "vpn" (200); the loader does not see rt_tables, which is the point.
# ip netns exec / ip -n bind-mount /etc/netns/NAME/* over /etc inside their own mount namespace only.
mkdir -p "/etc/netns/$R/iproute2"
printf '255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n200\tvpn\n' > "/etc/netns/$R/iproute2/rt_tables"

# client eth0 <-> router wan
ip -n "$C" link add eth0 type veth peer name wan netns "$R"
ip -n "$C" addr add 203.0.113.10/24 dev eth0
ip -n "$C" link set eth0 up
ip -n "$C" route add default via 203.0.113.1 dev eth0
ip -n "$R" addr add 203.0.113.1/24 dev wan
ip -n "$R" link set wan up

# router br-lan (port lan-p1) <-> nas eth0
ip -n "$R" link add br-lan type bridge
ip -n "$R" link add lan-p1 type veth peer name eth0 netns "$N"
ip -n "$R" link set lan-p1 master br-lan
ip -n "$R" addr add 192.168.78.1/24 dev br-lan
ip -n "$R" addr add 192.168.78.2/24 dev br-lan                        # secondary
ip -n "$R" addr add 192.168.78.3/24 dev br-lan label br-lan:1         # secondary with a label
ip -n "$R" addr add 10.1.1.1/24 dev br-lan                            # second primary
ip -n "$R" link set lan-p1 up
ip -n "$R" link set br-lan up
ip -n "$N" addr add 192.168.78.19/24 dev eth0
ip -n "$N" link set eth0 up
ip -n "$N" route add default via 192.168.78.1 dev eth0 proto static

# router: a tun with a point-to-point peer, a vxlan, and a veth whose peer is down (linkdown)
ip -n "$R" tuntap add dev tun0 mode tun
ip -n "$R" addr add 10.8.0.1 peer 10.8.0.2 dev tun0
ip -n "$R" link set tun0 up
ip -n "$R" link add vx0 type vxlan id 42 dstport 4789 dev wan
ip -n "$R" addr add 172.16.42.1/24 dev vx0
ip -n "$R" link set vx0 up
ip -n "$R" link add spare0 type veth peer name spare1
ip -n "$R" addr add 10.40.0.1/24 dev spare0
ip -n "$R" link set spare0 up

# router routes in several tables and of every type
ip -n "$R" route add default via 203.0.113.254 dev wan metric 100
ip -n "$R" route add 10.20.0.0/16 via 192.168.78.19 dev br-lan src 192.168.78.1 proto static
ip -n "$R" route add 10.30.0.0/24 via 10.99.99.1 dev wan onlink
ip -n "$R" route add 10.41.0.0/24 via 10.40.0.2 dev spare0
ip -n "$R" route add 10.50.0.0/24 nexthop via 203.0.113.20 dev wan weight 1 nexthop via 192.168.78.20 dev br-lan weight 2
ip -n "$R" route add blackhole 10.66.0.0/16
ip -n "$R" route add unreachable 10.67.0.0/16
ip -n "$R" route add prohibit 10.68.0.0/16 metric 5
ip -n "$R" route add 10.71.0.0/24 tos 0x10 via 203.0.113.254 dev wan
ip -n "$R" route add 10.72.0.1 dev wan scope host
ip -n "$R" route add 10.74.0.0/24 dev tun0 scope link src 10.8.0.1
ip -n "$R" route add throw 10.69.0.0/16 table 100
ip -n "$R" route add default via 192.168.78.19 dev br-lan table 100
ip -n "$R" route add default dev tun0 table vpn
ip -n "$R" route add 10.70.0.0/24 dev wan table 1000
ip -n "$R" route add 10.73.0.0/24 dev wan table default
ip -n "$R" route add local 10.99.0.0/24 dev lo table local
ip -n "$R" -6 route add 2001:db8:1::/64 dev wan

# router policy rules
ip -n "$R" rule add priority 100 from 10.8.0.0/24 lookup vpn
ip -n "$R" rule add priority 110 to 10.20.0.0/16 lookup 100
ip -n "$R" rule add priority 120 fwmark 0x1/0xff lookup 1000
ip -n "$R" rule add priority 130 fwmark 0x2 lookup 100
ip -n "$R" rule add priority 140 iif wan lookup main suppress_prefixlength 0
ip -n "$R" rule add priority 150 oif tun0 lookup vpn
ip -n "$R" rule add priority 160 not from 192.168.78.0/24 lookup 100
ip -n "$R" rule add priority 170 from 1.2.3.4 goto 200
ip -n "$R" rule add priority 180 from 1.2.3.5 blackhole
ip -n "$R" rule add priority 190 from 1.2.3.6 unreachable
ip -n "$R" rule add priority 200 from 1.2.3.7 prohibit
ip -n "$R" rule add priority 210 tos 0x10 lookup 100
ip -n "$R" rule add priority 220 from 1.2.3.8 nop
ip -n "$R" rule add priority 230 from 1.2.3.9 to 5.6.7.0/24 iif br-lan lookup default
ip -n "$R" rule add priority 240 ipproto tcp dport 22 lookup 100
ip -n "$R" rule add priority 250 uidrange 1000-2000 lookup 100
ip -n "$R" rule add priority 260 from 1.2.3.10 lookup 253

# sysctls
ip netns exec "$R" sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.wan.rp_filter=2 \
  net.ipv4.conf.br-lan.proxy_arp=1 net.ipv4.conf.all.src_valid_mark=1
ip netns exec "$N" sysctl -q -w net.ipv4.conf.eth0.rp_filter=1

# listeners (bounded in time)
rsock() { ip netns exec "$1" timeout 60 socat -u "$2" /dev/null </dev/null >/dev/null 2>&1 & PIDS+=($!); }
rsock "$R" TCP4-LISTEN:22,reuseaddr
rsock "$R" TCP6-LISTEN:80,ipv6only=0,reuseaddr
rsock "$R" TCP6-LISTEN:81,ipv6only=1,reuseaddr
rsock "$R" TCP4-LISTEN:8080,bind=203.0.113.1,so-bindtodevice=wan
rsock "$R" TCP4-LISTEN:8081,so-bindtodevice=br-lan
rsock "$R" TCP6-LISTEN:631,bind=[::1]
rsock "$R" UDP4-RECV:53,bind=192.168.78.1
rsock "$R" UDP4-RECV:67,so-bindtodevice=br-lan
rsock "$R" UDP6-RECV:5353,ipv6only=0
rsock "$N" TCP4-LISTEN:22,reuseaddr
rsock "$N" UDP4-RECV:161,bind=127.0.0.1
sleep 1

capture() {  # ns host pretty
  local ns=$1 d=$OUT/$2 p=$3
  mkdir -p "$d"
  ip -n "$ns" -j $p -d addr show > "$d/ip-addr.json"
  ip -n "$ns" -j $p -d route show table all > "$d/ip-route.json"
  ip -n "$ns" -j $p rule show > "$d/ip-rule.json"
  ip netns exec "$ns" sysctl -a 2>/dev/null | grep -E \
    '^net\.ipv4\.ip_forward |^net\.ipv4\.conf\.[^.]+\.(rp_filter|forwarding|src_valid_mark|proxy_arp|accept_local) |^net\.bridge\.bridge-nf-call|^net\.netfilter\.nf_conntrack_tcp_(loose|be_liberal) ' \
    > "$d/sysctl.txt"
}
capture "$C" client ""
capture "$R" router "-p"     # pretty: one object per line group, so line numbers mean something
capture "$N" nas ""
ip -n "$R" -6 -j -d route show table all > "$OUT/router/ip6-route.json"
ip netns exec "$R" ss -Hlntu > "$OUT/router/ss-listen.txt"
ip netns exec "$N" ss -Hlntu > "$OUT/nas/ss-listen.txt"
# the client has no ss-listen.txt: listeners unknown
cat > "$OUT/topology.json" <<JSON
{"segments": [
  {"name": "uplink", "members": ["client:eth0", "router:wan"]},
  {"name": "lan", "members": ["router:br-lan", "nas:eth0"]}
]}
JSON
echo "captured into $OUT from $TAG-*"
