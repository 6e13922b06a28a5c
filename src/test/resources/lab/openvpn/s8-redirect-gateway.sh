#!/bin/bash
# S8 lab: pc with a gateway-less point-to-point default route; redirect-gateway variants. Namespaces $P-*.
set -e
P=$1; FLAGS=$2; W=/tmp/rtovpn-work/$P; mkdir -p $W
ns() { ip netns exec $P-$1 "${@:2}"; }
for n in pc isp srv; do ip netns add $P-$n; ns $n ip link set lo up; done
ns pc ip link add ppp0 type veth peer name ppp0 netns $P-isp
ns isp ip link add eth0 type veth peer name wan netns $P-srv
ns pc ip addr add 100.64.7.9 peer 100.64.0.1 dev ppp0
ns isp ip addr add 100.64.0.1 peer 100.64.7.9 dev ppp0
ns isp ip addr add 198.51.100.1/24 dev eth0
ns srv ip addr add 198.51.100.2/24 dev wan
for l in "pc ppp0" "isp ppp0" "isp eth0" "srv wan"; do set -- $l; ns $1 ip link set $2 up; done
ns pc ip route add default dev ppp0
ns srv ip route add default via 198.51.100.1
ns isp sysctl -qw net.ipv4.ip_forward=1
ns isp sysctl -qw net.ipv4.conf.ppp0.proxy_arp=1
mkdir -p $W/c; cp conf/*.crt conf/*.key $W/c/
cat > $W/c/server.conf <<C
dev tun0
server 10.8.0.0 255.255.255.0
push "redirect-gateway $FLAGS"
ca ca.crt
cert vpnsrv.crt
key vpnsrv.key
dh none
disable-dco
verb 4
C
cat > $W/c/client.conf <<C
client
dev tun0
remote 198.51.100.2 1194
nobind
ca ca.crt
cert siteb.crt
key siteb.key
disable-dco
verb 4
C
ns srv timeout 120 openvpn --cd $W/c --config server.conf --log $W/srv.log --writepid $W/srv.pid --daemon
sleep 1
ns pc timeout 120 openvpn --cd $W/c --config client.conf --log $W/cli.log --writepid $W/cli.pid --daemon
sleep 6
echo "== routes on pc ($FLAGS)"; ns pc ip route
echo "== ping server tun"; ns pc ping -c1 -W2 10.8.0.1 | grep received || true
grep -E "Recursive|redirect|ROUTE_GATEWAY|unable|net_route_v4_add|net_route_v4_del" $W/cli.log | tail -8
kill $(cat $W/cli.pid) $(cat $W/srv.pid) 2>/dev/null || true
sleep 1
for n in pc isp srv; do ip netns delete $P-$n; done
