package roundtrip.diagnose;

/**
 * The catalogue of root causes `roundtrip why` can name. The id is stable (scripts and the JSON output use
 * it); each cause has a one-paragraph explanation in English and in Chinese.
 */
public enum Cause {
    MISSING_RETURN_ROUTE("missing-return-route",
            "The request gets there, but the answer does not know the way back. Replies are routed by their destination"
                    + " (the prober's address) on every host they cross; the host named here has no route for that address"
                    + " that leads back towards the hosts the request came through, so it hands the answer to its default"
                    + " route (or has none) and the answer dies elsewhere. The request's own path does not matter to it:"
                    + " Linux routes each packet on its own.",
            "去程通、回程断：请求能到达，但应答找不到回来的路。应答包按目的地址（发起方的地址）逐跳路由，这里指出的主机上没有"
                    + "指向请求来路的回程路由，于是把应答交给了默认路由（或者干脆没有路由），应答最终丢在别处。Linux 对每个包单独查路由，"
                    + "不会因为请求从哪里来就把应答送回哪里。"),
    ASYMMETRIC_REPLY("asymmetric-reply",
            "The host answers out of a different interface than the request came in on: its routing table sends"
                    + " traffic for the prober's address another way (typically a second uplink or a VPN that holds the"
                    + " default route). Linux has no \"reply the way it came\" by default, so the answer goes out of the"
                    + " wrong uplink, with the wrong source address or to a peer that drops it. The classic remedy is a"
                    + " routing table per uplink and an `ip rule` that selects it. A policy rule ahead of the main table (a VPN's"
                    + " full tunnel or exit node) does the same to answers a host forwards: they follow that rule's table instead"
                    + " of the main table's route back, and a rule `to NETWORK lookup main` ahead of it returns them to the main table.",
            "应答从与请求进入时不同的接口发出：本机对发起方地址的路由指向另一条线路（常见的是第二条上行链路，或者接管了默认路由的 VPN）。"
                    + "Linux 默认不会“原路返回”，应答于是走错了出口，源地址不对，或者被对端丢弃。标准做法是每条上行链路一张路由表，"
                    + "再用 `ip rule`（策略路由）选表。优先级高于 main 表的策略路由规则（VPN 的全隧道或出口节点）对本机转发的应答也是一样："
                    + "应答按那条规则的表走，而不是按 main 表原路返回；在它前面加一条 `to 网段 lookup main` 规则，应答就回到 main 表。"),
    RP_FILTER_DROP("rp-filter-drop",
            "Reverse path filtering dropped the packet: with rp_filter = 1 (strict) the kernel only accepts a packet on"
                    + " an interface it would itself use to reach the packet's source. On an asymmetric path the packet"
                    + " arrives on the other interface and is silently dropped (no counter in iptables, no log unless"
                    + " log_martians is on).",
            "反向路径过滤（rp_filter）把包丢了：rp_filter = 1（严格模式）时，内核只接受从“回程路由出口”进来的包。在非对称路径上，"
                    + "包从另一个接口进来，就被悄悄丢弃（iptables 计数器看不到，除非打开 log_martians 否则也没有日志）。"),
    DNAT_REPLY_VIA_DEFAULT_ROUTE("dnat-reply-via-default-route",
            "The request was port-forwarded (DNAT) into this host over one path, but the answer is routed by the"
                    + " client's address, which this host reaches by its default route, so it leaves by another"
                    + " interface. The answer then bypasses the host that did the DNAT, is never translated back, and the"
                    + " client receives it from an address it never talked to (and answers it with a RST). The fix is to"
                    + " mark the connections that came in over that path (CONNMARK) and route their answers back the"
                    + " same way (fwmark rule and a table), or to source-NAT them on the way in.",
            "请求是经过端口转发（DNAT）从某条路径进来的，但应答按客户端地址查路由，本机走默认路由去往客户端，于是从另一个接口出去。"
                    + "应答绕开了做 DNAT 的那台主机，地址没有被还原，客户端收到一个来自陌生地址的包（TCP 会回 RST）。解决办法是给从该路径"
                    + "进来的连接打标记（CONNMARK），按标记做策略路由（fwmark 规则加一张路由表）让应答原路返回，或者在进入时做 SNAT。"),
    LOCAL_SERVICE_WRONG_TABLE("local-service-wrong-table",
            "Policy routing sends marked connections back the way they came, but a service on this host itself"
                    + " answers from the main table: its replies are generated locally, they never pass PREROUTING where"
                    + " the connection mark is restored, so the fwmark rule does not apply. An `ip rule from <address>`"
                    + " (or restoring the mark in mangle OUTPUT) makes the local answers use the same table.",
            "策略路由已经让打了标记的连接原路返回，但本机自己的服务应答时查的是 main 表：本机产生的应答不经过 PREROUTING，"
                    + "连接标记没有被恢复到包上，fwmark 规则不起作用。加一条 `ip rule from <地址>`（或在 mangle OUTPUT 恢复标记），"
                    + "本机服务的应答就会查同一张表。"),
    POLICY_RULE_CAPTURES_LOCAL_TRAFFIC("policy-rule-captures-local-traffic",
            "A policy routing rule (`ip rule`, selected here by the packet's source, mark or interface) sends the packet to a"
                    + " table that only knows another way out (an uplink's or a VPN's default route), although the main table"
                    + " would deliver it locally or to a network attached to this host (a container bridge, a second LAN)."
                    + " The kernel walks the rules by priority and the first table that has a route decides, so a rule meant"
                    + " for one kind of traffic (source routing for a second NIC, a VPN's full tunnel) also takes traffic to the"
                    + " host's own networks. A rule `to NETWORK lookup main` ahead of it keeps those networks in the main"
                    + " table (or the capturing rule goes, if nothing needs it).",
            "一条策略路由规则（`ip rule`，这里按包的源地址、标记或入接口选中）把包送进了一张只认识另一条出路的路由表（上行链路或 VPN 的"
                    + "默认路由），而 main 表本会把它投递到本机或本机直连的网络（容器网桥、第二个局域网）。内核按优先级逐条查规则，第一张"
                    + "有路由的表说了算，于是一条本为某类流量设置的规则（第二块网卡的源地址路由、VPN 的全隧道）也把去往本机网络的流量"
                    + "抢走了。在它前面加一条 `to 网段 lookup main` 规则，让这些网段仍查 main 表（或者删掉这条规则，如果已经没人需要它）。"),
    MISSING_SNAT("missing-snat",
            "A host forwards traffic from a private or internal address out of its uplink without source NAT: the"
                    + " far side sees the internal address and has no route back to it, so the answer dies on the way."
                    + " MASQUERADE (or SNAT) on the uplink makes the answers come back to this host, which translates them"
                    + " back.",
            "这台主机把内部地址发出的流量从上行接口转发出去，却没有做源地址转换（SNAT）：对端看到的是内网地址，没有回程路由，"
                    + "应答在半路丢失。在上行接口上做 MASQUERADE（或 SNAT），应答就会回到这台主机，再由连接跟踪还原地址。"),
    FORWARD_DROP("forward-drop",
            "The host's FORWARD chain does not let the packet through: its policy is DROP (or a rule drops it) and"
                    + " no rule accepts this traffic. Typical after a reboot when the accepting rules were never saved.",
            "本机 FORWARD 链不放行这个包：默认策略是 DROP（或被某条规则丢弃），又没有规则接受这类流量。"
                    + "常见于规则从未保存、重启后丢失的情况。"),
    IP_FORWARD_OFF("ip-forward-off",
            "The packet has to be routed through this host, but forwarding is off for its family (net.ipv4.ip_forward"
                    + " for IPv4, net.ipv6.conf.all.forwarding for IPv6; each family has its own switch): the kernel drops"
                    + " every packet of that family not addressed to the host itself.",
            "包需要经过这台主机转发，但该协议族的转发没有打开（IPv4 是 net.ipv4.ip_forward，IPv6 是"
                    + " net.ipv6.conf.all.forwarding，两者互不影响）：内核会丢弃所有不是发给本机的该协议族的包。"),
    RA_IGNORED_WHILE_FORWARDING("ra-ignored-while-forwarding",
            "The host's IPv6 default route comes from router advertisements (SLAAC), and a device that forwards IPv6"
                    + " ignores them while its accept_ra is 1 (ipv6_accept_ra in net/ipv6/ndisc.c: forwarding makes the host a"
                    + " router, and a router does not learn its routes from advertisements). Turning forwarding on (a VPN"
                    + " install, Docker, a sysctl.d file) therefore loses the default route when the last advertised lifetime"
                    + " runs out: IPv4 keeps working, IPv6 says \"Network is unreachable\". accept_ra = 2 on the uplink takes"
                    + " advertisements while forwarding.",
            "这台主机的 IPv6 默认路由来自路由通告（SLAAC），而开启了 IPv6 转发的接口在 accept_ra 为 1 时会忽略路由通告"
                    + "（net/ipv6/ndisc.c 的 ipv6_accept_ra：转发让主机成为路由器，路由器不从通告学路由）。所以一旦打开转发（安装 VPN、"
                    + "Docker、sysctl.d 里的配置），最后一次通告的有效期一过，默认路由就消失了：IPv4 照常，IPv6 报 \"Network is unreachable\"。"
                    + "在上联接口上设 accept_ra = 2，转发时也接受路由通告。"),
    CONNTRACK_INVALID("conntrack-invalid",
            "Connection tracking marks the packet INVALID (it does not fit any connection this host has seen, usually"
                    + " because the other half of the exchange took another path) and a `ctstate INVALID` rule drops it.",
            "连接跟踪把这个包判为 INVALID（它不属于本机见过的任何连接，通常是因为另一个方向的包走了别的路径），"
                    + "随后被一条 `ctstate INVALID` 规则丢弃。"),
    CONNTRACK_INVALID_ASYMMETRIC("conntrack-invalid-asymmetric",
            "The answer takes another path than the request and crosses a router that never saw the request: its"
                    + " connection tracking has no connection for the answer, marks it INVALID, and a `ct state invalid drop`"
                    + " rule drops it (on OpenWrt fw4's \"Prevent NAT leakage\" rule on masquerading zones). Make the path"
                    + " symmetric (the answer back the way the request came), or let that zone pass INVALID packets"
                    + " (masq_allow_invalid).",
            "应答走了与请求不同的路径，经过了一台从未见过请求的路由器：它的连接跟踪里没有这条连接，把应答判为 INVALID，"
                    + "随后被一条 `ct state invalid drop` 规则丢弃（OpenWrt fw4 在做伪装的区域上有 \"Prevent NAT leakage\" 规则）。"
                    + "让路径对称（应答沿请求的来路返回），或者允许该区域放行 INVALID 包（masq_allow_invalid）。"),
    WRONG_SOURCE_ADDRESS("wrong-source-address",
            "Traffic generated on this host takes the address of the outgoing interface as its source (here a"
                    + " tunnel or transfer address) and nobody routes that address back; the same probe sent from another"
                    + " address of the host works. Give the route a `src` hint, or route the transfer network back.",
            "本机发出的流量以出接口的地址作为源地址（这里是隧道或互联地址），而没有人为这个地址做回程路由；用本机另一个地址"
                    + "发出同样的探测就能通。给路由加上 `src` 提示（指定源地址），或者为这个互联网段配置回程路由。"),
    FILTER_RULE_DROP("filter-rule-drop",
            "A netfilter rule (quoted) drops or rejects the packet.",
            "一条防火墙（netfilter）规则（见引用）丢弃或拒绝了这个包。"),
    NO_ROUTE("no-route",
            "The host has no route for the destination in any table its rules select (or an unreachable, prohibit or"
                    + " blackhole route), so the packet is dropped there.",
            "这台主机在策略路由选中的所有路由表里都没有去往目的地址的路由（或者命中了 unreachable、prohibit、blackhole 路由），包在此被丢弃。"),
    ROUTE_SWALLOWS_DESTINATION("route-swallows-destination",
            "A broader route of this host (typically the connected network of a container bridge, a VPN or a second"
                    + " interface) covers the destination, so the kernel looks for the destination on that link, where no"
                    + " host has the address (nobody answers ARP), instead of handing it to the gateway that serves it. A"
                    + " more specific route via that gateway wins over the broad one (longest prefix); the lasting remedy"
                    + " is to give the bridge or VPN a range that does not overlap the networks it must reach.",
            "本机一条更宽的路由（常见的是容器网桥、VPN 或第二块网卡的直连网段）覆盖了目的地址，内核于是在那条链路上找这个地址，"
                    + "而那里没有主机拥有它（ARP 无人应答），包没有交给真正能送达的网关。加一条经该网关、更具体的路由即可胜出（最长前缀匹配）；"
                    + "长久之计是给网桥或 VPN 换一个不与要访问的网络重叠的网段。"),
    NEIGHBOUR_DISCOVERY_FILTERED("neighbour-discovery-filtered",
            "IPv6 finds a neighbour's link-layer address with ICMPv6 neighbour solicitations and advertisements, which cross"
                    + " netfilter like any packet (untracked: `ctstate ESTABLISHED,RELATED` does not let them in). A firewall that"
                    + " drops ICMPv6 in INPUT (or OUTPUT) therefore cuts the host off for all IPv6 on that link while IPv4 (whose"
                    + " ARP no iptables rule sees) keeps working. RFC 4890 lists the ICMPv6 types a firewall must let through.",
            "IPv6 用 ICMPv6 邻居请求/通告（NS/NA）解析邻居的链路层地址，这些包和普通包一样要经过 netfilter（而且不被连接跟踪："
                    + "`ctstate ESTABLISHED,RELATED` 放行不了它们）。防火墙在 INPUT（或 OUTPUT）里丢弃 ICMPv6，就会让这条链路上的"
                    + "所有 IPv6 都不通，而 IPv4 照常工作（ARP 不经过 iptables）。RFC 4890 列出了防火墙必须放行的 ICMPv6 类型。"),
    NDP_PROXY_MISSING("ndp-proxy-missing",
            "A router holds a whole IPv6 prefix as on-link and asks for each address of it by neighbour solicitation, but"
                    + " the address lives behind another host on that link (VMs, containers or VPN clients given part of a"
                    + " provider's /64). IPv6 has no proxy ARP by default: that host must answer for the address, with"
                    + " proxy_ndp on the link's interface and a proxy entry (`ip -6 neigh add proxy ADDR dev IF`, or ndppd for a"
                    + " whole range), or the provider must route the prefix to it.",
            "路由器把整个 IPv6 前缀当作直连（on-link），用邻居请求逐个询问其中的地址；但这个地址其实在链路上另一台主机的后面"
                    + "（服务商的 /64 里分给虚拟机、容器或 VPN 客户端的一段）。IPv6 默认没有代理 ARP：这台主机必须替它应答——在连着这条"
                    + "链路的接口上打开 proxy_ndp 并加代理条目（`ip -6 neigh add proxy 地址 dev 接口`，整段地址可用 ndppd），"
                    + "或者让服务商把前缀路由给它。"),
    NEIGHBOUR_UNREACHABLE_ON_LINK("neighbour-unreachable-on-link",
            "The host's connected route puts the destination on the link, so it asks for it by ARP, but nobody on that"
                    + " link answers: the address is there only on paper (the provider's switch delivers only to the gateway,"
                    + " or the neighbour sits behind another port or router). The traffic has to go to the router that"
                    + " reaches it: a route via the gateway, or the address configured as /32 with an on-link route to the"
                    + " gateway, as such providers document.",
            "本机的直连路由认为目的地址就在这条链路上，于是用 ARP 询问，但链路上没有人应答：这个地址只是“名义上”在同一网段"
                    + "（服务商的交换机只把帧送给网关，或者邻居在另一个端口、另一台路由器后面）。流量必须交给能到达它的路由器："
                    + "加一条经网关的路由，或者像这类服务商文档所说，把地址配成 /32 并加一条到网关的 on-link 路由。"),
    GATEWAY_NOT_ON_LINK("gateway-not-on-link",
            "The route's gateway does not exist on the link the route names: nobody answers ARP for it (a gateway"
                    + " copied from another network, a router that was renumbered or moved). Every packet that takes the"
                    + " route dies on this host. The route must name a router that is on that link and forwards.",
            "路由的网关不在路由所指的链路上：没有人应答它的 ARP（从别的网络照抄的网关、改了地址或搬走了的路由器）。"
                    + "走这条路由的包全部死在本机。路由必须指向这条链路上确实存在、并且开启转发的路由器。"),
    SNAT_TO_FOREIGN_ADDRESS("snat-to-foreign-address",
            "A SNAT rule rewrites the source to an address this host does not own (stale after an address change, or"
                    + " a provider's public address that its 1:1 NAT maps in front of the host). The kernel rewrites it all"
                    + " the same; the next hop then drops the packet as spoofed, or the answers go to that address, which"
                    + " nobody routes back to this host. SNAT must name an address of the outgoing interface (or use"
                    + " MASQUERADE, which picks it).",
            "一条 SNAT 规则把源地址改成了本机并不拥有的地址（换地址后遗留的旧规则，或服务商 1:1 NAT 在主机前面映射的公网地址）。"
                    + "内核照改不误；随后下一跳把包当作伪造源地址丢弃，或者应答发往那个地址，却没有人把它路由回本机。SNAT 必须写出接口"
                    + "自己的地址（或者用 MASQUERADE，由内核自动选取）。"),
    MISSING_ROUTE_TO_OVERLAY("missing-route-to-overlay",
            "The host sends traffic for an overlay's range (a VPN pool, a tailnet, the network behind a tunnel"
                    + " container) to its default gateway, which does not know that range; another host on its own link"
                    + " holds the tunnel and routes it. The route into the overlay via that host is missing on the sender.",
            "本机把去往覆盖网络（VPN 地址池、tailnet、隧道容器背后的网络）的流量交给了默认网关，而默认网关不认识这个网段；"
                    + "同一链路上另一台主机持有隧道并能路由它。发送方缺少一条经那台主机进入覆盖网络的路由。"),
    UNMANAGED_HOST_DROPS("unmanaged-host-drops",
            "The packet dies on a host that is not yours to change (managed: false: the ISP's router, a provider's"
                    + " fabric, someone else's site). The way out is on the last host of the path that is yours: send the"
                    + " traffic so that the other host accepts and routes it (source NAT to an address it knows, another"
                    + " route), or ask its owner.",
            "包死在一台不归你管的主机上（managed: false：运营商的路由器、云服务商的网络、别人的站点）。出路在路径上最后一台"
                    + "你能改的主机：让流量以对方接受、能路由的形式发出（源地址转换成它认识的地址、换一条路由），或者联系它的管理者。"),
    NOTHING_LISTENS("nothing-listens",
            "The packet arrives, but nothing on the target listens on that port (or the host ignores it): the kernel"
                    + " answers with a reset or an ICMP error, or not at all.",
            "包已送达，但目标主机上没有程序监听这个端口（或主机忽略了它）：内核回 RST 或 ICMP 错误，或者不回应。"),
    WIREGUARD_SOURCE_NOT_ALLOWED("wireguard-source-not-allowed",
            "WireGuard drops a decrypted packet whose source address is not in the AllowedIPs of the peer it came from"
                    + " (\"Packet has unallowed src IP\"): AllowedIPs is also the list of sources a peer may send from."
                    + " Traffic that a site forwards into the tunnel from another network (a road-warrior pool, a second LAN)"
                    + " keeps that network's source address, so the receiving side must list that network for the peer, and"
                    + " route it back into the tunnel; or the sending side masquerades it to its own tunnel address.",
            "WireGuard 丢弃了解密后的包：它的源地址不在发送方对端（peer）的 AllowedIPs 里（\"Packet has unallowed src IP\"）。"
                    + "AllowedIPs 同时也是允许对端使用的源地址列表。一端把其他网段（如拨入用户地址池、另一个局域网）的流量转发进隧道时，"
                    + "源地址保持不变，所以接收端必须把这个网段加进该 peer 的 AllowedIPs，并把它路由回隧道；或者由发送端把它伪装"
                    + "（MASQUERADE）成自己的隧道地址。"),
    WIREGUARD_ALLOWED_IPS_NOT_ROUTED("wireguard-allowed-ips-not-routed",
            "A WireGuard peer's AllowedIPs hold the destination, but the kernel has no route for it into the WireGuard"
                    + " interface, so the packet leaves by another route (usually the default route, in clear, to a next hop"
                    + " that cannot deliver it). AllowedIPs only tells WireGuard which peer to encrypt for once a packet is"
                    + " in the interface; the route is separate (wg-quick adds it unless Table = off, OpenWrt only with"
                    + " route_allowed_ips, `wg set` never).",
            "WireGuard 对端的 AllowedIPs 包含了目的地址，但内核没有把它路由进 WireGuard 接口的路由，包于是走了别的路由"
                    + "（通常是默认路由，明文发给无法投递它的下一跳）。AllowedIPs 只决定包进入接口后加密发给哪个 peer；"
                    + "路由是另一回事（wg-quick 会自动添加，除非 Table = off；OpenWrt 要开 route_allowed_ips；`wg set` 从不添加）。"),
    ROUTE_INTO_TUNNEL_FOR_LOCAL_NETWORK("route-into-tunnel-for-local-network",
            "A full-tunnel VPN's routes (0.0.0.0/1 and 128.0.0.0/1, or a default route into the tunnel) also take a network"
                    + " that is reachable directly, through a router on this host's own link, so the packet goes into the"
                    + " tunnel where nobody can deliver it. The local network needs a route of its own via that router (and,"
                    + " behind a VPN kill switch, an accept for it in OUTPUT).",
            "全隧道 VPN 的路由（0.0.0.0/1 和 128.0.0.0/1，或进隧道的默认路由）把一个本可直接到达的网段也带进了隧道"
                    + "（它经本机所在链路上的路由器就能到达），包进了隧道却没人能投递。这个本地网段需要一条经该路由器的专门路由"
                    + "（如果有 VPN kill switch，还要在 OUTPUT 里放行它）。"),
    ACCEPT_RULE_AFTER_REJECT("accept-rule-after-reject",
            "The chain holds an accept meant for this packet, but a REJECT or DROP rule earlier in the same chain stops"
                    + " the packet first: iptables runs a chain's rules in order and the first verdict ends it. Typical when"
                    + " a script appends its accepts (-A) to a chain that a cloud image or firewall already ends with a"
                    + " catch-all REJECT: they land behind it and are never reached. Insert them (-I) instead.",
            "链里本来有给这个包的放行规则，但同一条链里更靠前的 REJECT 或 DROP 规则先把包拦下了：iptables 按顺序执行链中的规则，"
                    + "第一个裁决就结束。常见于脚本用 -A 把放行规则追加到一条已经以“全部拒绝”结尾的链（云镜像或防火墙自带）后面："
                    + "它们排在拒绝规则之后，永远轮不到。应改用 -I 插入。"),
    WIREGUARD_ALLOWED_IPS_LACK_PREFIX("wireguard-allowed-ips-lack-prefix",
            "A network behind a WireGuard peer is in none of this host's AllowedIPs for that peer. AllowedIPs is both the"
                    + " routing table inside the tunnel and the list of sources accepted from the peer; wg-quick also adds a"
                    + " route for each entry. Without the network there, the host has no route into the tunnel for it (the"
                    + " packet leaves by another route, usually the default) and no peer to encrypt it for. A site behind a"
                    + " road-warrior hub needs its whole LAN in the hub's entry for the site's router; a road warrior that must"
                    + " reach the hub's LAN lists it in its own entry for the hub, and one whose other traffic must leave by the"
                    + " hub needs the full tunnel (0.0.0.0/0, which wg-quick turns into policy routing).",
            "WireGuard 对端后面的网段不在本机为该对端配置的 AllowedIPs 里。AllowedIPs 既是隧道内的路由表，也是允许该对端发来的源地址列表；"
                    + "wg-quick 还会为每一项添加路由。缺了这个网段，本机既没有进隧道的路由（包走了别的路由，通常是默认路由），"
                    + "也没有可以为它加密的对端。挂在中心节点后面的站点，需要在中心节点为该站点路由器配置的条目里写上整个局域网；要访问中心节点局域网的移动客户端，"
                    + "要在自己为中心节点配置的条目里写上该局域网；其他流量也必须从中心节点出去的客户端，需要全隧道（0.0.0.0/0，"
                    + "wg-quick 会把它变成策略路由）。"),
    WIREGUARD_NO_PEER("wireguard-no-peer",
            "The kernel routes the packet into the WireGuard interface, but no peer of that interface has AllowedIPs"
                    + " matching its destination (\"No peer has allowed IPs matching\"), so WireGuard has nobody to encrypt it"
                    + " for and drops it (the sender gets \"Required key not available\"). A route alone is not enough: the"
                    + " destination network must be in the AllowedIPs of the peer behind which it lies.",
            "内核把包路由进了 WireGuard 接口，但该接口没有任何对端（peer）的 AllowedIPs 包含这个目的地址"
                    + "（\"No peer has allowed IPs matching\"），WireGuard 不知道为谁加密，只能丢弃（发送方看到 \"Required key not available\"）。"
                    + "只加路由不够：目的网段必须出现在它背后那个 peer 的 AllowedIPs 里。"),
    OPENVPN_MISSING_IROUTE("openvpn-missing-iroute",
            "The OpenVPN server drops a packet from a client whose source is neither the client's virtual address nor"
                    + " in one of its iroutes (\"MULTI: bad source address\", logged only at verb 4 and above). A network"
                    + " behind a client needs both the kernel route into the tunnel (`route` in the server configuration) and"
                    + " the daemon's own route to the client: an `iroute` line in the client's file in the client-config-dir,"
                    + " named exactly like the client certificate's common name. The file is read when the client connects.",
            "OpenVPN 服务端丢弃了客户端发来的包：源地址既不是该客户端的虚拟地址，也不在它的 iroute 里（\"MULTI: bad source address\"，"
                    + "verb 4 及以上才会记日志）。客户端背后的网段需要两样：内核里指向隧道的路由（服务端配置里的 `route`），以及 "
                    + "OpenVPN 进程内部指向该客户端的路由：client-config-dir 里以客户端证书 common name 命名的文件中的 `iroute` 行。"
                    + "该文件在客户端连接时读取。"),
    TUNNEL_ROUTED_INTO_ITSELF("tunnel-routed-into-itself",
            "The tunnel's own encrypted packets to its server are routed into the tunnel itself (\"Recursive routing"
                    + " detected\" for OpenVPN, \"Avoiding routing loop\" for WireGuard), typically after the default route"
                    + " was pointed into the tunnel without keeping a host route to the server via the old gateway. A host"
                    + " route to the server out of the real uplink (what OpenVPN's redirect-gateway def1 adds itself unless"
                    + " `local` is given) breaks the loop.",
            "隧道自己发往服务器的加密包又被路由进了隧道本身（OpenVPN 报 \"Recursive routing detected\"，WireGuard 报"
                    + " \"Avoiding routing loop\"），通常是默认路由被指向隧道，却没有保留一条经原网关到服务器的主机路由。"
                    + "加一条经真实上行接口到服务器的主机路由（OpenVPN 的 redirect-gateway def1 在没有 `local` 标志时会自己加）即可打破环路。"),
    TUNNEL_DROP("tunnel-drop",
            "The tunnel daemon or driver on this host drops the packet (see the reason quoted).",
            "这台主机上的隧道程序或驱动丢弃了这个包（原因见引用）。"),
    OTHER_LOSS("other-loss",
            "The packet is lost for a reason this catalogue has no entry for; the quoted evidence says where.",
            "包因为本目录未收录的原因丢失；证据中给出了位置。"),
    SETTING_NOT_COLLECTED("setting-not-collected",
            "The outcome rests on kernel settings (sysctls) of this host that were not collected: its snapshot has no"
                    + " sysctl.txt, so the simulation took the kernel's defaults (ip_forward 0, rp_filter 0, proxy_arp 0, ...),"
                    + " which the host may well not have: distributions and routers change several of them. Collect the host"
                    + " again (the collector writes sysctl.txt), or add the file with the output of `sysctl KEY`, before"
                    + " acting on this result.",
            "结论取决于这台主机没有被采集的内核参数（sysctl）：快照里没有 sysctl.txt，模拟只能采用内核默认值（ip_forward 0、"
                    + "rp_filter 0、proxy_arp 0……），而实际主机很可能不是默认值：各发行版和路由器都会改其中几项。请重新采集这台主机"
                    + "（采集脚本会写 sysctl.txt），或者用 `sysctl 参数名` 的输出补上这个文件，再根据结论行动。"),
    UNCERTAIN_SYNTAX("uncertain-syntax",
            "Some configuration on the path was not understood (quoted); the result may be wrong where it matters.",
            "路径上有部分配置无法识别（见引用），结论在相关之处可能不准确。");

    private final String id;
    private final String english;
    private final String chinese;

    Cause(String id, String english, String chinese) {
        this.id = id;
        this.english = english;
        this.chinese = chinese;
    }

    public String id() { return id; }

    public String explanation(String lang) { return "zh".equals(lang) ? chinese : english; }
}
