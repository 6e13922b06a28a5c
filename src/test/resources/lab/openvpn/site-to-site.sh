#!/bin/bash
# Builds the site-to-site OpenVPN lab in namespaces named $P-*; never touches the root namespace.
set -e
P=$1; W=/tmp/rtovpn-work/$P; mkdir -p $W
ns() { ip netns exec $P-$1 "${@:2}"; }
for n in sw vpnsrv siteb laptop lanhost bhost; do ip netns add $P-$n; ns $n ip link set lo up; done
ns sw ip link add br0 type bridge; ns sw ip link set br0 up
for n in vpnsrv siteb laptop; do
  ns sw ip link add p-$n type veth peer name wan0 netns $P-$n
  ns sw ip link set p-$n master br0; ns sw ip link set p-$n up
done
ns vpnsrv ip link add lan0 type veth peer name eth0 netns $P-lanhost
ns siteb ip link add lan0 type veth peer name eth0 netns $P-bhost
ns vpnsrv ip addr add 198.51.100.2/24 dev wan0; ns vpnsrv ip addr add 10.198.0.1/16 dev lan0
ns siteb ip addr add 198.51.100.7/24 dev wan0; ns siteb ip addr add 192.168.4.64/24 dev lan0
ns laptop ip addr add 198.51.100.9/24 dev wan0
ns lanhost ip addr add 10.198.0.5/16 dev eth0
ns bhost ip addr add 192.168.4.10/24 dev eth0
for l in "vpnsrv wan0" "vpnsrv lan0" "siteb wan0" "siteb lan0" "laptop wan0" "lanhost eth0" "bhost eth0"; do set -- $l; ns $1 ip link set $2 up; done
ns lanhost ip route add default via 10.198.0.1
ns bhost ip route add default via 192.168.4.64
ns vpnsrv sysctl -qw net.ipv4.ip_forward=1
ns siteb sysctl -qw net.ipv4.ip_forward=1
