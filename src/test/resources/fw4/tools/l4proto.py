#!/usr/bin/env python3
"""nft 1.0.6 refuses a NAT port without a transport protocol match ("transport protocol mapping is only valid after
transport protocol match"), which fw4 writes for a redirect or nat section with a destination/rewrite port but no
matched port (newer nft infer the protocol). Adds `meta l4proto PROTO` to such rules, PROTO being the section's
protocol, as fw4 writes it for rules without ports: the section is found by the rule's "!fw4: NAME" comment in the
uci/firewall.json fw4 read, and a section with several protocols has one rule per protocol, in its order.
Usage: l4proto.py FW4_NFT UCI_FIREWALL_JSON > OUT"""
import json, re, sys

nft, fwjson = open(sys.argv[1]).read().split('\n'), json.load(open(sys.argv[2]))
names = {}
for stype in ('redirect', 'nat'):
    for i, s in enumerate(fwjson.get(stype, [])):
        p = s.get('proto', 'tcpudp' if stype == 'redirect' else 'all')
        protos = []
        for x in (p if isinstance(p, list) else p.split()):
            x = x.lower()
            protos += ['tcp', 'udp'] if x == 'tcpudp' else ['tcp'] if x == '6' else ['udp'] if x == '17' else [x]
        names[s.get('name', '@%s[%d]' % (stype, i))] = [x for x in protos if x in ('tcp', 'udp')]
nat = re.compile(r'^(\t\t)(.*?)((counter )?(log prefix "[^"]*" )?((dnat|snat) \S+:\d+(-\d+)?|redirect to :?\d+(-\d+)?) comment "!fw4: ([^"]*)")$')
lines = [i for i, l in enumerate(nft) if nat.match(l) and not re.search(r'\b(tcp|udp) (s|d)port\b', l)]
for name in {nat.match(nft[i]).group(10) for i in lines}:
    mine = [i for i in lines if nat.match(nft[i]).group(10) == name]
    protos = names.get(name.removesuffix(' (reflection)'), [])
    if not protos:
        sys.exit('%s: no tcp or udp protocol for "%s"' % (sys.argv[1], name))
    per = max(1, len(mine) // len(protos))
    for k, i in enumerate(mine):
        m = nat.match(nft[i])
        nft[i] = m.group(1) + m.group(2) + 'meta l4proto ' + protos[min(k // per, len(protos) - 1)] + ' ' + m.group(3)
print('\n'.join(nft), end='')
