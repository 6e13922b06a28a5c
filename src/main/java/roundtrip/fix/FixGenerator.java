package roundtrip.fix;

import roundtrip.diagnose.Cause;
import roundtrip.diagnose.Finding;
import roundtrip.diagnose.PacketPath;
import roundtrip.model.FirewallConfig;
import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Text;
import roundtrip.model.WireGuardConfig;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Source;
import roundtrip.netfilter.nft.NftRuleset;
import roundtrip.tunnel.OpenVpnRoutes;
import roundtrip.tunnel.OpenVpnTunnel;
import roundtrip.tunnel.Tunnels;

import java.util.ArrayList;
import java.util.List;

/** The changes a senior admin would consider for each cause, built from the finding's facts. */
public final class FixGenerator {
    private final Network net;
    public FixGenerator(Network net) {
        this.net = net;
    }

    /**
     * `ip rule add to NET lookup main`: without a priority the kernel gives it one below the first rule after the local
     * table's (fib_default_rule_pref), so it is looked at before every rule an admin or a daemon added.
     */
    private static Fix ruleToMainTable(Host h, Finding f, Prefix dst) {
        return new Fix("rule-to-main-table", f, List.of(new Change.AddRule(h.name(), null, dst, null, Route.TABLE_MAIN)), true,
                "narrow: only traffic to " + dst + " goes back to the main table; the other rules keep doing what they were added for",
                "范围小：只有去往 " + dst + " 的流量改回 main 表；其他规则照旧发挥原来的作用");
    }

    /**
     * The fixes for a finding about packets of {@code family}: for IPv6 the iptables changes are ip6tables ones, since
     * the rules that saw the packets are ip6tables-save's.
     */
    public List<Fix> candidates(Finding f, Ip.Family family) {
        List<Fix> out = candidates(f);
        if (family != Ip.Family.IPV6) return out;
        List<Fix> six = new ArrayList<>();
        for (Fix x : out)
            six.add(new Fix(x.id(), x.finding(), x.changes().stream().map(Change::forIpv6).toList(), x.keepsSource(), x.tradeOff(),
                    x.tradeOffZh(), x.parts()));
        return six;
    }

    public List<Fix> candidates(Finding f) {
        List<Fix> out = new ArrayList<>();
        Finding.Facts x = f.facts();
        Host h = net.host(f.host());
        if (h == null) return out;
        switch (f.cause()) {
            case MISSING_RETURN_ROUTE -> {
                if ((x.backVia() != null || isTunnel(h, x.backDev())) && x.proberNet() != null) {
                    out.add(new Fix("return-route", f, List.of(routeChange(h, Route.TABLE_MAIN, x.proberNet(), x.backVia(), x.backDev())), true,
                            "clean: one route on " + h.name() + ", and every host that uses it as gateway is covered",
                            "最干净：在 " + h.name() + " 上加一条路由，所有以它为网关的主机都受益"));
                }
                if (x.altHost() != null && x.altVia() != null && x.proberNet() != null) {
                    Host alt = net.host(x.altHost());
                    out.add(new Fix("return-route-on-answering-host", f, List.of(routeChange(alt, Route.TABLE_MAIN, x.proberNet(), x.altVia(), x.altDev())), true,
                            "fixes " + alt.name() + " only: every other host there needs the same route (does not scale)",
                            "只修好 " + alt.name() + "：同网段的其他主机都要加同样的路由（不易扩展）"));
                }
                if (x.natHost() != null && x.natDev() != null && x.proberNet() != null) {
                    String addr = addressOf(x.natHost(), x.natDev(), x.proberNet().addr());
                    out.add(new Fix("masquerade-at-entry", f, List.of(new Change.IptablesRule(x.natHost(), "nat", "POSTROUTING", false,
                            "-s " + x.proberNet() + " -o " + x.natDev() + " -j MASQUERADE")), false,
                            "quick, but the hosts behind " + x.natHost() + " see " + addr + " instead of the client's address (logs, ACLs); some protocols dislike NAT",
                            "见效快，但 " + x.natHost() + " 后面的主机看到的是 " + addr + " 而不是客户端的真实地址（日志、访问控制受影响）；有些协议不喜欢 NAT"));
                }
            }
            case NO_ROUTE -> {
                // a blackhole, unreachable or prohibit route the drop quotes: remove it
                for (Route r : h.routes())
                    if ((r.type() == RouteType.BLACKHOLE || r.type() == RouteType.UNREACHABLE || r.type() == RouteType.PROHIBIT) && f.evidence() != null && f.evidence() != Source.NONE
                            && f.evidence().equals(r.source()) && (x.lostDst() == null || r.dst().contains(x.lostDst()))) {
                        out.add(new Fix("delete-reject-route", f, List.of(new Change.DelRoute(h.name(), r)), true,
                                "the " + r.type().name().toLowerCase() + " route goes; " + r.dst() + " then follows the next route that"
                                        + " covers it (whoever added it, a VPN's kill switch or a policy, meant to stop that traffic)",
                                "删除这条 " + r.type().name().toLowerCase() + " 路由；" + r.dst() + " 改走下一条覆盖它的路由"
                                        + "（添加它的程序，例如 VPN 的防泄漏开关或某个策略，本意是拦截这些流量）"));
                        break;
                    }
                // a neighbour on a connected link that forwards and knows the way: route through it
                if (x.lostDst() == null) break;
                for (Neighbour n : neighboursRouting(h, x.lostDst())) {
                    out.add(new Fix("route-via-neighbour", f, List.of(routeChange(h, Route.TABLE_MAIN, n.prefix(), n.via(), n.dev())), true,
                            "one route on " + h.name() + " towards " + n.host() + ", which already knows the way to " + n.prefix(),
                            "在 " + h.name() + " 上加一条经 " + n.host() + " 的路由（" + n.host() + " 已经知道去 " + n.prefix() + " 的路）"));
                }
            }
            case POLICY_RULE_CAPTURES_LOCAL_TRAFFIC -> {
                if (x.proberNet() != null) out.add(ruleToMainTable(h, f, x.proberNet()));
                // or the capturing rule goes (what a maintainer does when the rule was never needed)
                for (roundtrip.model.Rule r : h.rules())
                    if (f.evidence() != null && f.evidence() != Source.NONE && f.evidence().equals(r.source())) {
                        out.add(new Fix("delete-capturing-rule", f, List.of(new Change.DelRule(h.name(), r)), true,
                                "everything the rule matched follows the main table again, also the traffic it was added for"
                                        + " (source routing for an interface, a VPN's table); the program that installed it may add it back",
                                "这条规则匹配的所有流量都改回 main 表，包括它原本要处理的流量（某个接口的源地址路由、VPN 的路由表）；"
                                        + "安装它的程序可能会把它加回来"));
                        break;
                    }
            }
            case ASYMMETRIC_REPLY -> {
                // a rule ahead of the main table captured the answer the main table routes back: keep that network in main
                if (x.table() != null && x.table() == Route.TABLE_MAIN && x.proberNet() != null) out.add(ruleToMainTable(h, f, x.proberNet()));
                if (x.backVia() == null || x.inDev() == null) break;
                int table = Editor.freeTable(h);
                List<Change> tableRoutes = tableRoutes(h, table, x.inDev(), x.backVia(), null);
                if (x.localAddr() != null) {
                    List<Change> c = new ArrayList<>(tableRoutes);
                    c.add(new Change.AddRule(h.name(), Prefix.host(x.localAddr()), null, null, table));
                    out.add(new Fix("per-source-table", f, c, true,
                            "everything " + h.name() + " sends from " + x.localAddr() + " now leaves by " + x.inDev()
                                    + ", also answers to hosts that reach that address another way; does not help a UDP service on a wildcard socket",
                            "从 " + x.localAddr() + " 发出的所有流量都改走 " + x.inDev() + "，包括从其他路径访问该地址的应答；"
                                    + "对监听通配地址的 UDP 服务无效"));
                }
                if (x.prober() != null) {
                    List<Change> c = new ArrayList<>(tableRoutes);
                    c.add(new Change.AddRule(h.name(), null, Prefix.host(x.prober()), null, table));
                    out.add(new Fix("per-destination-table", f, c, true,
                            "works for every protocol, but only for " + x.prober() + ": each further client needs its own rule, and all of "
                                    + h.name() + "'s traffic to it leaves by " + x.inDev(),
                            "对所有协议有效，但只针对 " + x.prober() + "：每个新客户端都要加一条规则，且本机发往它的所有流量都走 " + x.inDev()));
                }
            }
            case LOCAL_SERVICE_WRONG_TABLE -> {
                if (x.localAddr() != null && x.table() != null)
                    out.add(new Fix("ip-rule-from-local-address", f, List.of(new Change.AddRule(h.name(), Prefix.host(x.localAddr()), null, null, x.table())), true,
                            "everything " + h.name() + " sends from " + x.localAddr() + " uses table " + Route.tableName(x.table()),
                            "本机从 " + x.localAddr() + " 发出的所有流量都查 " + Route.tableName(x.table()) + " 表"));
                out.add(new Fix("restore-mark-in-output", f, List.of(new Change.IptablesRule(h.name(), "mangle", "OUTPUT", false,
                        "-j CONNMARK --restore-mark")), true,
                        "local answers get their connection's mark and are re-routed; every marked connection of the host is affected",
                        "本机应答恢复连接标记后重新选路；影响本机所有带标记的连接"));
            }
            case DNAT_REPLY_VIA_DEFAULT_ROUTE -> {
                if (x.backVia() != null && x.inDev() != null) {
                    int table = Editor.freeTable(h);
                    long mark = Editor.freeMark(h);
                    String m = "0x" + Long.toHexString(mark);
                    List<Change> c = new ArrayList<>();
                    c.add(new Change.IptablesRule(h.name(), "mangle", "PREROUTING", false,
                            "-i " + x.inDev() + " -m conntrack --ctstate NEW -j CONNMARK --set-mark " + m));
                    c.add(new Change.IptablesRule(h.name(), "mangle", "PREROUTING", false, "-m connmark --mark " + m + " -j CONNMARK --restore-mark"));
                    c.add(new Change.AddRule(h.name(), null, null, mark, table));
                    c.addAll(tableRoutes(h, table, x.inDev(), x.backVia(), x.forwardRoute()));
                    out.add(new Fix("connmark-policy-routing", f, c, true,
                            "the target keeps seeing the real client address; a mark, a rule and a table to maintain",
                            "目标主机仍能看到客户端真实地址；需要维护一个标记、一条规则和一张路由表"));
                }
                if (x.natHost() != null && x.natDev() != null) {
                    String addr = addressOf(x.natHost(), x.natDev(), x.prober());
                    out.add(new Fix("snat-at-dnat-host", f, List.of(new Change.IptablesRule(x.natHost(), "nat", "POSTROUTING", false,
                            "-o " + x.natDev() + " -j MASQUERADE")), false,
                            "one line, but the target sees " + addr + " instead of the client's address (like a user-space forwarder)",
                            "只需一行，但目标主机看到的是 " + addr + " 而不是客户端真实地址（和用户态转发一样）"));
                }
            }
            case WRONG_SOURCE_ADDRESS -> {
                Route used = PacketPath.hostRoute(h, x.forwardRoute());
                if (used != null && x.localAddr() != null) {
                    Route hinted = new Route(used.table(), used.type(), used.dst(), used.gateway(), used.dev(), x.localAddr(), used.metric(),
                            used.scope(), used.tos(), used.onlink(), Source.NONE);
                    out.add(new Fix("route-src-hint", f, List.of(new Change.ReplaceRoute(h.name(), used, hinted)), true,
                            "traffic " + h.name() + " itself sends that way now comes from " + x.localAddr() + "; forwarded traffic is not affected",
                            "本机自己经这条路由发出的流量改用 " + x.localAddr() + " 作源地址；转发的流量不受影响"));
                }
            }
            case MISSING_SNAT -> {
                FirewalldZone fz = x.outDev() == null ? null : firewalldZone(h, x.outDev());
                if (fz != null)
                    out.add(new Fix("firewalld-masquerade", f, List.of(new Change.FirewalldMasquerade(h.name(), fz.zone(), fz.forwardsToo(), fz.nft())), false,
                            "firewalld's own way: the far side sees " + addressOf(h.name(), x.outDev(), x.prober()) + " instead of " + x.prober()
                                    + " for everything leaving by zone " + fz.zone() + "'s interfaces"
                                    + (fz.forwardsToo() ? ", and new connections may be forwarded out of that zone" : ""),
                            "firewalld 自己的做法：经 " + fz.zone() + " 区域接口出去的流量，对端看到的是 " + addressOf(h.name(), x.outDev(), x.prober())
                                    + " 而不是 " + x.prober() + (fz.forwardsToo() ? "；同时允许新连接被转发出该区域" : "")));
                if (x.outDev() != null) {
                    String addr = addressOf(h.name(), x.outDev(), x.prober());
                    out.add(new Fix("masquerade-uplink", f, List.of(new Change.IptablesRule(h.name(), "nat", "POSTROUTING", false,
                            "-o " + x.outDev() + " -j MASQUERADE")), false,
                            "the far side sees " + addr + " instead of " + x.prober() + " (normal for an uplink)",
                            "对端看到的是 " + addr + " 而不是 " + x.prober() + "（上行链路的常规做法）"));
                }
            }
            case FORWARD_DROP -> {
                // Docker: dockerd owns FORWARD (its policy DROP, put back whenever it starts); DOCKER-USER is the user's
                // chain, jumped to first (docker's iptables setup), so accepts go there
                boolean docker = hasChain(h, "DOCKER-USER");
                boolean dockerAny = docker || hasChain(h, "DOCKER");
                String chain = docker ? "DOCKER-USER" : "FORWARD";
                Dialect dialect = Dialect.of(h);
                zoneMembership(h, f, x, out);
                ruleAsMeant(h, f, x, out);
                FirewalldZone fz = dialect == Dialect.FIREWALLD && x.outDev() != null ? firewalldZone(h, x.outDev()) : null;
                if (fz != null && fz.forwardsToo() && !x.established())
                    out.add(new Fix("firewalld-masquerade", f, List.of(new Change.FirewalldMasquerade(h.name(), fz.zone(), true, fz.nft())), false,
                            "firewalld's own way (before 1.0): new connections may be forwarded out of zone " + fz.zone()
                                    + ", and what leaves by its interfaces is masqueraded",
                            "firewalld 自己的做法（1.0 之前）：允许新连接被转发出 " + fz.zone() + " 区域，经其接口出去的流量做地址伪装"));
                if (dialect == Dialect.UFW && x.inDev() != null && x.outDev() != null && !x.established()) {
                    // ufw-before-forward accepts RELATED,ESTABLISHED before the user's rules: the answers need nothing more
                    out.add(new Fix("ufw-route-allow", f, List.of(new Change.UfwRouteAllow(h.name(), x.inDev(), x.outDev())), true,
                            "ufw's own way: new connections only from " + x.inDev() + " to " + x.outDev() + " (ufw already lets their"
                                    + " answers back); the routed default stays deny",
                            "ufw 自己的做法：只放行从 " + x.inDev() + " 到 " + x.outDev() + " 的新连接（ufw 本来就放行其应答），routed 默认策略仍是拒绝"));
                    out.add(new Fix("ufw-default-allow-routed", f, List.of(new Change.UfwDefaultRouted(h.name())), true,
                            "one line, but " + h.name() + " then forwards everything between all its interfaces",
                            "只需一行，但 " + h.name() + " 会在所有接口之间放行全部转发流量"));
                    break;
                }
                if (x.inDev() != null && x.outDev() != null) {
                    String est = " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT";
                    if (x.established()) {
                        // the answer was dropped: accept answers in its direction, nothing new from that side
                        out.add(new Fix("forward-accept-replies", f, List.of(
                                new Change.IptablesRule(h.name(), "filter", chain, true, "-i " + x.inDev() + " -o " + x.outDev() + est)), true,
                                "lets the answers to connections opened from " + x.outDev() + "'s side back in; nothing new is accepted from "
                                        + x.inDev() + (docker ? "; in DOCKER-USER, the chain Docker leaves to you" : ""),
                                "只放行从 " + x.outDev() + " 一侧发起的连接的应答；不接受从 " + x.inDev() + " 发起的新连接"
                                        + (docker ? "；写在 Docker 留给用户的 DOCKER-USER 链里" : "")));
                    } else {
                        List<Change> c = new ArrayList<>();
                        // in and out by one device (a bridge): the request's accept covers its answers too
                        if (!x.inDev().equals(x.outDev()))
                            c.add(new Change.IptablesRule(h.name(), "filter", chain, true, "-i " + x.outDev() + " -o " + x.inDev() + est));
                        c.add(0, new Change.IptablesRule(h.name(), "filter", chain, true, "-i " + x.inDev() + " -o " + x.outDev() + " -j ACCEPT"));
                        out.add(new Fix("forward-accept-rules", f, c, true,
                                "lets new connections through only from " + x.inDev() + " to " + x.outDev() + ", and only their answers back;"
                                        + " the DROP policy stays" + (docker ? "; in DOCKER-USER, the chain Docker leaves to you" : ""),
                                "只放行从 " + x.inDev() + " 到 " + x.outDev() + " 的新连接及其应答，DROP 默认策略保留"
                                        + (docker ? "；写在 Docker 留给用户的 DOCKER-USER 链里" : "")));
                    }
                }
                out.add(new Fix("forward-policy-accept", f, List.of(new Change.IptablesPolicy(h.name(), "filter", "FORWARD", "ACCEPT")), true,
                        dockerAny ? "one line, but " + h.name() + " then forwards everything between all its interfaces, and it does not"
                                + " last: dockerd sets the FORWARD policy back to DROP whenever it starts"
                                : "one line, but " + h.name() + " then forwards everything between all its interfaces",
                        dockerAny ? "只需一行，但 " + h.name() + " 会在所有接口之间放行全部转发流量，而且不持久：dockerd 每次启动都会把 FORWARD 默认策略改回 DROP"
                                : "只需一行，但 " + h.name() + " 会在所有接口之间放行全部转发流量"));
            }
            case FILTER_RULE_DROP, CONNTRACK_INVALID, ACCEPT_RULE_AFTER_REJECT -> {
                String[] tc = x.chain() == null ? null : x.chain().split(" ", 2);
                String rule = f.evidence().text();
                zoneMembership(h, f, x, out);
                ruleAsMeant(h, f, x, out);
                if (tc == null || tc.length != 2) break;
                // firewalld's FORWARD ends in a catch-all REJECT: what no zone accepts dies there; before 1.0 the
                // outgoing zone's masquerade is what accepts new connections forwarded out of it
                FirewalldZone fz = tc[1].equals("FORWARD") && x.outDev() != null ? firewalldZone(h, x.outDev()) : null;
                if (fz != null && fz.forwardsToo())
                    out.add(new Fix("firewalld-masquerade", f, List.of(new Change.FirewalldMasquerade(h.name(), fz.zone(), true, fz.nft())), false,
                            "firewalld's own way (before 1.0): new connections may be forwarded out of zone " + fz.zone()
                                    + ", and what leaves by its interfaces is masqueraded",
                            "firewalld 自己的做法（1.0 之前）：允许新连接被转发出 " + fz.zone() + " 区域，经其接口出去的流量做地址伪装"));
                // a forwarded new connection dropped in a chain FORWARD jumps to (a VPN daemon's own chain, a zone's): the
                // exception an admin writes there, the interface pair's accept ahead of the rule; first when the rule judges by
                // interfaces and state alone (a VPN's "no new connections into the tunnel"), naming no address, protocol or port
                Fix byInterfaces = null;
                String ruleChain = rule.startsWith("-A ") ? rule.substring(3).split(" ", 2)[0] : null;
                if (f.cause() == Cause.FILTER_RULE_DROP && "FORWARD".equals(tc[1]) && ruleChain != null && !ruleChain.equals(tc[1]) && x.inDev() != null
                        && x.outDev() != null && !x.inDev().equals(x.outDev()) && !x.established())
                    byInterfaces = new Fix("accept-interfaces-before-rule", f, List.of(new Change.IptablesRule(h.name(), tc[0], ruleChain, true,
                            "-i " + x.inDev() + " -o " + x.outDev() + " -j ACCEPT")), true,
                            "new connections from " + x.inDev() + " to " + x.outDev() + " pass " + ruleChain + " ahead of the rule that dropped"
                                    + " them; the rule stays for every other interface",
                            "从 " + x.inDev() + " 到 " + x.outDev() + " 的新连接在 " + ruleChain + " 中先于丢包规则被放行；该规则对其他接口照旧有效");
                boolean interfaceLevel = !rule.matches(".*(?:\\s-[ds]\\s|\\s--[ds]port\\s|\\s-p\\s|\\s--dports?\\s).*");
                if (byInterfaces != null && interfaceLevel) out.add(byInterfaces);
                // a tunnel's datagrams crossing a router both ways on the tunnel's port (WireGuard peers both listen
                // on it; OpenVPN answers from it): one accept by port lets the two directions through
                if (x.underlayPort() > 0 && f.cause() != Cause.CONNTRACK_INVALID)
                    out.add(new Fix("accept-tunnel-port-before-rule", f, List.of(new Change.IptablesRule(h.name(), tc[0], tc[1], true,
                            "-p udp -m udp --dport " + x.underlayPort() + " -j ACCEPT")), true,
                            "lets the tunnel's UDP datagrams to port " + x.underlayPort() + " through ahead of the rule, whoever sends"
                                    + " them; the rule stays for everything else",
                            "在该规则之前放行发往 UDP 端口 " + x.underlayPort() + " 的隧道数据报（不论来自谁）；规则本身对其他流量仍然有效"));
                if (x.match() != null && f.cause() != Cause.CONNTRACK_INVALID)
                    out.add(new Fix("accept-before-rule", f, List.of(new Change.IptablesRule(h.name(), tc[0], tc[1], true, x.match() + " -j ACCEPT")), true,
                            "lets this service (address, protocol, port) through ahead of the rule, for the client's network when it"
                                    + " is connected here; the rule stays for everything else",
                            "在该规则之前放行这项服务（地址、协议、端口），客户端网段直连本机时对整个网段放行；规则本身对其他流量仍然有效"));
                if (byInterfaces != null && !interfaceLevel) out.add(byInterfaces);
                // an accept written after the dropping rule in the same chain (appended with -A behind a catch-all
                // REJECT): moved before it; the simulation says which one was meant for this packet
                List<String> later = rule.startsWith("-A ") && f.cause() != Cause.CONNTRACK_INVALID ? acceptsAfter(h, tc[0], tc[1], rule) : List.of();
                if (later.size() > 1) {
                    // all of them, in their order (a tool's set: the request's accept and its answers')
                    List<Change> c = new ArrayList<>();
                    for (String accept : later) c.add(new Change.IptablesDelete(h.name(), tc[0], accept));
                    for (int i = later.size() - 1; i >= 0; i--)
                        c.add(new Change.IptablesRule(h.name(), tc[0], tc[1], true, later.get(i).substring(("-A " + tc[1] + " ").length())));
                    out.add(new Fix("move-accepts-before-rule", f, c, true,
                            "the " + later.size() + " accepts after `" + rule + "` were never reached: they now come first in " + tc[1]
                                    + ", in the same order, and the rule that dropped the packet stays for everything else",
                            "`" + rule + "` 之后的 " + later.size() + " 条放行规则从来没有机会生效：现在按原顺序放到 " + tc[1]
                                    + " 的最前面，丢包的那条规则对其他流量仍然有效"));
                }
                if (!later.isEmpty())
                    for (String accept : later)
                        out.add(new Fix("move-accept-before-rule", f, List.of(new Change.IptablesDelete(h.name(), tc[0], accept),
                                new Change.IptablesRule(h.name(), tc[0], tc[1], true, accept.substring(("-A " + tc[1] + " ").length()))), true,
                                "the accept `" + accept + "` was never reached: it now comes first in " + tc[1] + ", and the rule that"
                                        + " dropped the packet stays for everything else",
                                "`" + accept + "` 从来没有机会生效：现在把它放到 " + tc[1] + " 的最前面，丢包的那条规则对其他流量仍然有效"));
                // sent by the host itself and dropped in OUTPUT with no match to copy: an accept for the network its route
                // leads to, by that route's device (a kill switch's exception for a local network); never for a default route
                if (x.match() == null && f.cause() == Cause.FILTER_RULE_DROP && "filter OUTPUT".equals(x.chain())
                        && x.forwardRoute() != null && x.outDev() != null) {
                    Prefix to = x.forwardRoute().dst();
                    if (to != null && to.len() > 0)
                        out.add(new Fix("output-accept-to-network", f, List.of(new Change.IptablesRule(h.name(), "filter", "OUTPUT", true,
                                "-d " + to + " -o " + x.outDev() + " -j ACCEPT")), true,
                                "lets " + h.name() + " send to " + to + " by " + x.outDev() + ", where its route leads; the rest of OUTPUT stays as it is",
                                "允许 " + h.name() + " 经 " + x.outDev() + " 向 " + to + " 发送（与其路由一致）；OUTPUT 的其余规则不变"));
                }
                if (rule.startsWith("-A "))
                    out.add(new Fix("delete-rule", f, List.of(new Change.IptablesDelete(h.name(), tc[0], rule)), true,
                            "removes the rule for all traffic: whatever it was meant to stop gets through too",
                            "删除这条规则：它原本要拦截的流量也会被放行"));
            }
            case NDP_PROXY_MISSING -> {
                // ndisc_recv_ns answers for a proxy entry when the device forwards and proxy_ndp is on (all or the device)
                List<Change> c = new ArrayList<>();
                if (!h.sysctls().proxyNdp(x.outDev()))
                    c.add(new Change.SetSysctl(h.name(), roundtrip.model.Sysctls.conf6Key(x.outDev(), "proxy_ndp"), "1"));
                boolean hasEntry = h.ndpProxies().stream().anyMatch(e -> e.address().equals(x.lostDst())
                        && (e.dev() == null || e.dev().equals(x.outDev())));
                if (!hasEntry) c.add(new Change.AddNdpProxy(h.name(), x.lostDst(), x.outDev()));
                out.add(new Fix("ndp-proxy", f, c, true,
                        h.name() + " answers for " + x.lostDst() + " only: each further address behind it needs its own entry (ndppd"
                                + " answers for a whole range); routing the prefix to " + h.name() + " instead needs the provider",
                        h.name() + " 只替 " + x.lostDst() + " 应答：后面的每个地址都要各加一条（ndppd 可以代理整段）；"
                                + "要改成把前缀路由给 " + h.name() + "，需要服务商配合"));
            }
            case NEIGHBOUR_DISCOVERY_FILTERED -> {
                // RFC 4890 4.4.1: solicitations and advertisements must pass; accepted first, before any drop in the chain
                String[] c = x.chain() == null ? new String[0] : x.chain().split(" ");
                if (c.length == 3 && !c[0].equals("ip"))
                    out.add(new Fix("accept-neighbour-discovery", f, List.of(new Change.NftAddRule(h.name(), c[0], c[1], c[2],
                            "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept", true)), true,
                            "only neighbour discovery is let through; every other ICMPv6 message (echo, errors) is treated as before",
                            "只放行邻居发现报文；其他 ICMPv6（echo、差错报文）仍按原规则处理"));
                if (c.length == 2 && c[0].equals("filter"))
                    out.add(new Fix("accept-neighbour-discovery", f, List.of(
                            new Change.IptablesRule(h.name(), "filter", c[1], true, "-p ipv6-icmp -m icmp6 --icmpv6-type neighbour-advertisement -j ACCEPT"),
                            new Change.IptablesRule(h.name(), "filter", c[1], true, "-p ipv6-icmp -m icmp6 --icmpv6-type neighbour-solicitation -j ACCEPT")),
                            true, "only neighbour discovery is let through; every other ICMPv6 message (echo, errors) is treated as before",
                            "只放行邻居发现报文；其他 ICMPv6（echo、差错报文）仍按原规则处理"));
            }
            case RA_IGNORED_WHILE_FORWARDING -> {
                // ipv6_accept_ra: 2 takes advertisements while the device forwards; the route the next one installs
                // (default via the router, metric 1024 as rt6_add_dflt_router gives it) is added at once by hand
                if (x.sysctlKey() == null || x.outDev() == null || x.backVia() == null) break;
                Route ra = new Route(Route.TABLE_MAIN, RouteType.UNICAST, Prefix.any(Ip.Family.IPV6), x.backVia(), x.outDev(), null, 1024,
                        null, 0, false, Source.NONE);
                out.add(new Fix("accept-ra-2", f, List.of(new Change.SetSysctl(h.name(), x.sysctlKey(), "2"),
                        new Change.RaRoute(h.name(), ra, 1800)), true,
                        h.name() + " takes router advertisements on " + x.outDev() + " again while it forwards; the default route"
                                + " is the one the router advertises (its lifetime, typically 1800 s, is refreshed by every advertisement)",
                        h.name() + " 在转发的同时重新接受 " + x.outDev() + " 上的路由通告；默认路由就是路由器通告的那条"
                                + "（有效期通常 1800 秒，每次通告都会刷新）"));
            }
            case IP_FORWARD_OFF -> {
                String key = x.sysctlKey();
                if (key != null && key.startsWith("net.ipv6.")) {
                    // ip6_forward reads conf.all.forwarding alone; writing it sets every device's switch too
                    // (addrconf_fixup_forwarding), and a device that forwards ignores router advertisements unless its
                    // accept_ra is 2: a host whose own IPv6 default route comes from SLAAC loses it when it expires
                    out.add(new Fix("ipv6-forwarding-on", f, List.of(new Change.SetSysctl(h.name(), "net.ipv6.conf.all.forwarding", "1")), true,
                            h.name() + " then routes IPv6 between all its interfaces (its ip6tables/nft FORWARD chain is the only"
                                    + " filter), and stops taking router advertisements where accept_ra is 1: if its own IPv6 default"
                                    + " route comes from SLAAC, set net.ipv6.conf.<uplink>.accept_ra = 2 too",
                            h.name() + " 将在所有接口之间转发 IPv6（只剩 ip6tables/nft 的 FORWARD 链把关），并且在 accept_ra 为 1"
                                    + " 的接口上不再接受路由通告：如果它自己的 IPv6 默认路由来自 SLAAC，还要把上联接口的 accept_ra 设为 2"));
                    break;
                }
                boolean perDevice = key != null && key.startsWith("net.ipv4.conf.") && !key.startsWith("net.ipv4.conf.all.")
                        && !key.startsWith("net.ipv4.conf.default.");
                if (perDevice) {
                    // ip_forward is already 1: writing it again changes nothing (devinet_sysctl_forward propagates only a change)
                    String dev = key.substring("net.ipv4.conf.".length(), key.length() - ".forwarding".length());
                    out.add(new Fix("interface-forwarding-on", f, List.of(new Change.SetSysctl(h.name(), key, "1")), true,
                            h.name() + " then forwards what comes in on " + dev + " as it does on its other interfaces; whatever turned"
                                    + " it off (systemd-networkd without IPForward=yes in " + dev + "'s .network file) does so again"
                                    + " at its next start",
                            h.name() + " 将像其他接口一样转发从 " + dev + " 进来的包；把它关掉的程序（" + dev
                                    + " 的 .network 文件里没有 IPForward=yes 的 systemd-networkd）下次启动时还会再关掉"));
                }
                if (!perDevice || !h.sysctls().ipForward())
                    out.add(new Fix("ip-forward-on", f, List.of(new Change.SetSysctl(h.name(), "net.ipv4.ip_forward", "1")), true,
                            h.name() + " then routes between all its interfaces: its FORWARD chain is the only filter",
                            h.name() + " 将在所有接口之间转发，只剩 FORWARD 链把关"));
            }
            case SNAT_TO_FOREIGN_ADDRESS -> {
                String rule = f.evidence() == null ? "" : f.evidence().text();
                if (rule.startsWith("-A "))
                    out.add(new Fix("delete-foreign-snat", f, List.of(new Change.IptablesDelete(h.name(), "nat", rule)), false,
                            "the rule goes; the packets are then source-NATed by the next rule that matches them (if none, they"
                                    + " leave with their inner address)",
                            "删除这条规则；之后由下一条匹配的规则做源地址转换（若没有，包带着内部地址出去）"));
                if (x.outDev() != null) {
                    String addr = addressOf(h.name(), x.outDev(), x.prober());
                    out.add(new Fix("masquerade-before-foreign-snat", f, List.of(new Change.IptablesRule(h.name(), "nat", "POSTROUTING", true,
                            (x.proberNet() != null ? "-s " + x.proberNet() + " " : "") + "-o " + x.outDev() + " -j MASQUERADE")), false,
                            "the packets leave from " + addr + ", the address " + x.outDev() + " has, ahead of the stale rule (which stays)",
                            "包以 " + x.outDev() + " 自己的地址 " + addr + " 发出，排在旧规则之前（旧规则保留）"));
                }
            }
            case ROUTE_SWALLOWS_DESTINATION, NEIGHBOUR_UNREACHABLE_ON_LINK, MISSING_ROUTE_TO_OVERLAY, ROUTE_INTO_TUNNEL_FOR_LOCAL_NETWORK -> {
                if (x.lostDst() == null) break;
                List<Neighbour> ns = neighboursRouting(h, x.lostDst());
                for (Neighbour n : ns) {
                    out.add(new Fix("route-via-neighbour", f, List.of(routeChange(h, Route.TABLE_MAIN, n.prefix(), n.via(), n.dev())), true,
                            "one route on " + h.name() + " towards " + n.host() + ", which already knows the way to " + n.prefix(),
                            "在 " + h.name() + " 上加一条经 " + n.host() + " 的路由（" + n.host() + " 已经知道去 " + n.prefix() + " 的路）"));
                }
                if (ns.isEmpty() && x.backVia() != null && x.backDev() != null)
                    out.add(new Fix("host-route-via-gateway", f, List.of(routeChange(h, Route.TABLE_MAIN, Prefix.host(x.lostDst()), x.backVia(), x.backDev())), true,
                            "only " + x.lostDst() + " goes via the gateway " + x.backVia() + "; other addresses of that range still go to the link",
                            "只有 " + x.lostDst() + " 改经网关 " + x.backVia() + "；该网段的其他地址仍走那条链路"));
            }
            case GATEWAY_NOT_ON_LINK -> {
                Route used = PacketPath.hostRoute(h, x.forwardRoute());
                if (used == null || x.lostDst() == null || x.outDev() == null) break;
                for (Neighbour n : neighboursForwarding(h, x.outDev(), x.lostDst())) {
                    Route fixed = new Route(used.table(), used.type(), used.dst(), n.via(), used.dev(), used.prefSrc(), used.metric(),
                            used.scope(), used.tos(), used.onlink(), Source.NONE);
                    out.add(new Fix("route-via-existing-router", f, List.of(new Change.ReplaceRoute(h.name(), used, fixed)), true,
                            "the route keeps its destination and names " + n.host() + " (" + n.via() + "), a router on " + x.outDev()
                                    + " that forwards and reaches " + x.lostDst(),
                            "路由目的不变，改经 " + n.host() + "（" + n.via() + "）：它在 " + x.outDev() + " 上、开启了转发并能到达 " + x.lostDst()));
                }
            }
            case RP_FILTER_DROP -> {
                String key = x.sysctlKey() != null ? x.sysctlKey() : "net.ipv4.conf.all.rp_filter";
                out.add(new Fix("rp-filter-loose", f, List.of(new Change.SetSysctl(h.name(), key, "2")), true,
                        "loose mode: a source is accepted when any route leads back to it (weaker spoofing protection)",
                        "宽松模式：只要有任意路由能回到源地址就接受（防伪造源地址的保护变弱）"));
            }
            case WIREGUARD_SOURCE_NOT_ALLOWED -> {
                if (x.tunnelDev() != null && x.peer() != null && x.proberNet() != null) {
                    Change.WireGuardAllowedIps allow = allowedIps(h, x.tunnelDev(), x.peer(), x.proberNet());
                    if (allow != null) {
                        List<Change> c = new ArrayList<>(List.of(allow));
                        Change back = routeIntoDevice(h, x.proberNet(), x.tunnelDev());
                        if (back != null) c.add(back);
                        out.add(new Fix("wireguard-allowed-ips", f, c, true,
                                h.name() + " accepts " + x.proberNet() + " from that peer and answers it through the tunnel; the peer must keep"
                                        + " sending it there (its AllowedIPs for " + h.name() + " cover the answers' sources)",
                                h.name() + " 接受该 peer 发来的 " + x.proberNet() + "，并经隧道应答；对端发往这里的流量仍需走这个 peer"));
                    }
                }
                if (x.natHost() != null && x.natDev() != null && x.proberNet() != null) {
                    String addr = addressOf(x.natHost(), x.natDev(), x.proberNet().addr());
                    out.add(new Fix("masquerade-into-tunnel", f, List.of(new Change.IptablesRule(x.natHost(), "nat", "POSTROUTING", false,
                            "-s " + x.proberNet() + " -o " + x.natDev() + " -j MASQUERADE")), false,
                            "no change on " + h.name() + ", but the hosts behind it see " + addr + " instead of the client's address",
                            h.name() + " 无需改动，但它后面的主机看到的是 " + addr + " 而不是客户端真实地址"));
                }
            }
            case CONNTRACK_INVALID_ASYMMETRIC -> {
                Change.UciFirewallZoneOption allow = natLeakageSwitch(h, f);
                if (allow != null)
                    out.add(new Fix("fw4-masq-allow-invalid", f, List.of(allow), true,
                            "fw4 stops dropping INVALID packets on their way out of zone " + allow.zone() + ": answers to connections "
                                    + h.name() + " never saw (as here) and stray packets of connections conntrack has forgotten leave"
                                    + " un-NATed, with their inner source addresses (the zone's NAT-leakage protection is off); a TCP"
                                    + " connection on this path still breaks: conntrack picks its later packets up as new and the zone"
                                    + " masquerades them",
                            "fw4 不再丢弃离开 " + allow.zone() + " 区域的 INVALID 包：" + h.name() + " 没见过请求的应答（如本例）以及 conntrack"
                                    + " 已忘记的连接的零散包会不经 NAT、带着内部源地址发出去（该区域的 NAT 泄漏保护被关闭）；"
                                    + "走这条路径的 TCP 连接仍然不通：conntrack 会把后续的包当作新连接接管，并被该区域伪装"));
            }
            case WIREGUARD_ALLOWED_IPS_NOT_ROUTED -> {
                if (x.tunnelDev() != null && x.proberNet() != null) {
                    Change route = routeIntoDevice(h, x.proberNet(), x.tunnelDev());
                    if (route != null)
                        out.add(new Fix("route-allowed-ips", f, List.of(route), true,
                                "the route WireGuard's AllowedIPs imply (OpenWrt: option route_allowed_ips '1' on the peer; wg-quick adds it"
                                        + " unless Table = off)",
                                "补上 AllowedIPs 对应的路由（OpenWrt：在 peer 上设 option route_allowed_ips '1'；wg-quick 默认会加，除非 Table = off）"));
                }
            }
            case WIREGUARD_ALLOWED_IPS_LACK_PREFIX -> {
                if (x.tunnelDev() != null && x.peer() != null && x.missingNet() != null) {
                    Change.WgQuickFullTunnel full = fullTunnel(h, x.tunnelDev(), x.peer());
                    if (full != null)
                        out.add(new Fix("wireguard-full-tunnel", f, List.of(full), true,
                                h.name() + " sends everything through the tunnel (wg-quick's policy routing keeps its own datagrams"
                                        + " and the networks of its links outside it): the peer must forward and masquerade what it"
                                        + " sends on to the internet, and " + h.name() + "'s other traffic now leaves by the peer",
                                h.name() + " 的所有流量都走隧道（wg-quick 的策略路由让隧道自身的 UDP 包和本机直连网段留在隧道外）：对端必须转发，"
                                        + "并对转发到互联网的流量做伪装；" + h.name() + " 的其他流量此后也从对端出去"));
                    if (x.missingNet().len() == 0) break;   // a plain AllowedIPs /0 without wg-quick's rules would swallow the tunnel itself
                    Change.WireGuardAllowedIps allow = allowedIps(h, x.tunnelDev(), x.peer(), x.missingNet());
                    if (allow != null) {
                        List<Change> c = new ArrayList<>(List.of(allow));
                        Change route = routeIntoDevice(h, x.missingNet(), x.tunnelDev());
                        if (route != null) c.add(route);
                        out.add(new Fix("wireguard-allowed-ips", f, c, true,
                                h.name() + " routes " + x.missingNet() + " into the tunnel to that peer and accepts it as a source from it"
                                        + " (a tool that writes the configuration, like wg-easy, must keep the entry, or it is lost at its restart)",
                                h.name() + " 把 " + x.missingNet() + " 路由进通往该对端的隧道，并接受它作为该对端的源地址"
                                        + "（wg-easy 这类自己生成配置的工具必须保留这一项，否则重启后会丢失）"));
                    }
                }
            }
            case WIREGUARD_NO_PEER -> {
                if (x.tunnelDev() != null && x.peer() != null && x.proberNet() != null) {
                    Change.WireGuardAllowedIps allow = allowedIps(h, x.tunnelDev(), x.peer(), x.proberNet());
                    if (allow != null)
                        out.add(new Fix("wireguard-allowed-ips", f, List.of(allow), true,
                                "the peer must also accept " + x.proberNet() + " as a source of its answers (its own AllowedIPs for this host)",
                                "对端也必须接受来自 " + x.proberNet() + " 的应答（它那边这个 peer 的 AllowedIPs）"));
                }
            }
            case OPENVPN_MISSING_IROUTE -> {
                OpenVpnConfig server = openVpn(h, x.tunnelDev());
                if (server != null && x.peer() != null && x.proberNet() != null) {
                    Change.OpenVpnIroute iroute = new Change.OpenVpnIroute(h.name(), server.device(), server.configFile(),
                            server.clientConfigDir(), x.peer(), x.proberNet());
                    List<Change> c = new ArrayList<>(List.of(iroute));
                    Change route = routeIntoDevice(h, x.proberNet(), server.device());
                    if (route != null) c.add(route);
                    // the server reads the CCD file when the client connects: make that client reconnect
                    OpenVpnTunnel client = clientOf(h.name(), server.device(), x.peer());
                    if (client != null)
                        c.add(new Change.OpenVpnSignal(client.host(), client.device(), client.config().configFile(), client.config().writepid(),
                                "USR1", roundtrip.model.Message.of(Sentences.SIGNAL_CLIENT_RECONNECTS_FOR_CCD, x.peer(), iroute.file())));
                    out.add(new Fix("openvpn-ccd-iroute", f, c, true,
                            "takes effect when " + x.peer() + " connects again (the CCD file is read at connect; its tunnel is down"
                                    + " for a few seconds); the file must be named exactly like the client certificate's common name",
                            x.peer() + " 重新连接后生效（CCD 文件在连接时读取，隧道会中断几秒）；文件名必须与客户端证书的 common name 完全一致"));
                }
            }
            case TUNNEL_ROUTED_INTO_ITSELF -> {
                if (x.peerAddr() == null) break;
                Fix def1 = redirectDef1(f, h, x.tunnelDev());
                if (def1 != null) out.add(def1);
                java.util.Set<String> tunnelDevs = new java.util.HashSet<>();
                for (var t : h.tunnels()) tunnelDevs.add(t.device());
                if (x.tunnelDev() != null) tunnelDevs.add(x.tunnelDev());
                for (var i : h.interfaces().values()) {
                    if (i.isLoopback() || tunnelDevs.contains(i.name()) || i.primary() == null) continue;
                    Ip gw = null;
                    boolean linked = false;
                    for (Route r : h.routes()) {
                        if (r.table() != Route.TABLE_MAIN || r.type() != RouteType.UNICAST || !i.name().equals(r.dev())
                                || r.family() != x.peerAddr().family()) continue;
                        if (r.gateway() != null && gw == null) gw = r.gateway();
                        if (r.gateway() == null) linked = true;
                    }
                    if (gw == null && !linked) continue;
                    Route host = new Route(Route.TABLE_MAIN, RouteType.UNICAST, Prefix.host(x.peerAddr()), gw, i.name(), null, 0, null, 0, false, Source.NONE);
                    out.add(new Fix("host-route-to-tunnel-server", f, List.of(new Change.AddRoute(h.name(), host)), true,
                            "the tunnel's packets to " + x.peerAddr() + " leave by " + i.name() + " again; if OpenVPN's"
                                    + " redirect-gateway carries `local`, dropping it (with def1) makes OpenVPN add this route itself",
                            "隧道发往 " + x.peerAddr() + " 的包重新从 " + i.name() + " 出去；若 OpenVPN 的 redirect-gateway 带 local 标志，"
                                    + "去掉它（并加 def1）后 OpenVPN 会自己加这条路由"));
                }
            }
            default -> { }
        }
        return out;
    }

    /**
     * fw4's "Prevent NAT leakage" drop as the finding's evidence: option masq_allow_invalid of the zone whose chain
     * accept_to_ZONE held it (fw4 names a zone's chains after the zone). The zone's section comes from the router's
     * /etc/config/firewall when the input holds it (the drop then quotes that file); from fw4's generated ruleset only
     * the zone's name is known, and the `nft delete rule` commands that do to the running ruleset what the reload does.
     */
    private static Change.UciFirewallZoneOption natLeakageSwitch(Host h, Finding f) {
        String zone = Fw4.zoneOfAcceptTo(f.facts().chain());
        if (zone == null || f.evidence() == null) return null;
        FirewallConfig config = h.firewallConfig();
        if (config != null) {
            String section = config.zoneSection(zone);
            if (section == null || !config.file().equals(f.evidence().file())) return null;
            return new Change.UciFirewallZoneOption(h.name(), zone, section, "masq_allow_invalid", "1", List.of());
        }
        NftRuleset fw4 = Fw4.ruleset(h);
        if (fw4 == null) return null;
        List<NftRuleset.RuleInfo> rules = Fw4.natLeakageRules(fw4, zone);
        if (rules.stream().noneMatch(r -> r.source().equals(f.evidence()))) return null;
        return new Change.UciFirewallZoneOption(h.name(), zone, null, "masq_allow_invalid", "1", Fw4.deleteCommands(rules));
    }

    private Tunnels tunnels;

    private Tunnels tunnels() {
        if (tunnels == null) tunnels = new Tunnels(net);
        return tunnels;
    }

    /** The client tunnel of the server on (host, dev) that connects with common name {@code cn}, or null. */
    private OpenVpnTunnel clientOf(String host, String dev, String cn) {
        if (!(tunnels().onDevice(host, dev) instanceof OpenVpnTunnel server)) return null;
        for (OpenVpnTunnel.Client k : server.clients())
            if (k.commonName().equals(cn) && peerTunnel(k) != null) return peerTunnel(k);
        return null;
    }

    /** The client tunnel a server's client entry was paired with (its peer, "host:dev"), or null. */
    private OpenVpnTunnel peerTunnel(OpenVpnTunnel.Client k) {
        if (k.peer() == null) return null;
        int colon = k.peer().lastIndexOf(':');
        return tunnels().onDevice(k.peer().substring(0, colon), k.peer().substring(colon + 1)) instanceof OpenVpnTunnel c ? c : null;
    }

    /**
     * A tunnel routed into itself by an OpenVPN client's redirect-gateway without def1, or with local: the same line
     * with def1 and without local (and autolocal), where the line is, the client's own or pushed to it (server config
     * or the client's CCD file). OpenVPN then keeps the old default route, adds 0.0.0.0/1 and 128.0.0.0/1 into the
     * tunnel and the host route to the server via the old default gateway. The daemon that holds the line re-reads it
     * on SIGHUP (a CCD file: at the client's next connection); a pushed one reaches the client when it reconnects.
     */
    private Fix redirectDef1(Finding f, Host h, String dev) {
        if (dev == null || !(tunnels().onDevice(h.name(), dev) instanceof OpenVpnTunnel client) || client.config().isServer()) return null;
        OpenVpnTunnel server = client.server();
        String cn = null;
        if (server != null)
            for (OpenVpnTunnel.Client k : server.clients()) if ((client.host() + ":" + dev).equals(k.peer())) cn = k.commonName();
        OpenVpnConfig.Redirect r = OpenVpnRoutes.redirectInForce(client.config(), server == null ? null : server.config(), cn);
        if (r == null || r.def1() && !r.local() && !r.flags().contains("autolocal")) return null;
        List<String> flags = new ArrayList<>(List.of("def1"));
        for (String flag : new java.util.TreeSet<>(r.flags())) if (!List.of("def1", "local", "autolocal").contains(flag)) flags.add(flag);
        String redirect = "redirect-gateway " + String.join(" ", flags);
        List<Change> changes = new ArrayList<>();
        String where;
        if (client.config().redirectGateway() != null && client.config().redirectGateway().source().equals(r.source())) {
            String config = client.config().configFile();
            if (config == null) return null;
            changes.add(new Change.OpenVpnRedirectGateway(h.name(), dev, config, config, r.source(), redirect));
            changes.add(new Change.OpenVpnSignal(h.name(), dev, config, client.config().writepid(), "HUP",
                    roundtrip.model.Message.of(Sentences.SIGNAL_CLIENT_REREADS_DEF1, config)));
            where = config;
        } else {
            if (server == null || server.config().configFile() == null) return null;
            OpenVpnConfig s = server.config();
            String config = s.configFile();
            boolean inServerConfig = s.pushes().stream().anyMatch(o -> o.source().equals(r.source()));
            String file = inServerConfig ? config : (s.clientConfigDir() == null ? "ccd" : s.clientConfigDir()) + "/" + cn;
            changes.add(new Change.OpenVpnRedirectGateway(server.host(), s.device(), config, file, r.source(), "push \"" + redirect + "\""));
            if (inServerConfig)
                changes.add(new Change.OpenVpnSignal(server.host(), s.device(), config, s.writepid(), "HUP",
                        roundtrip.model.Message.of(Sentences.SIGNAL_SERVER_REREADS, config)));
            // every client that applies the pushed line gets the new one when it connects again
            for (OpenVpnTunnel.Client k : server.clients()) {
                OpenVpnTunnel other = peerTunnel(k);
                if (other == null || !inServerConfig && !k.commonName().equals(cn)) continue;
                OpenVpnConfig.Redirect theirs = OpenVpnRoutes.redirectInForce(other.config(), s, k.commonName());
                if (theirs == null || !theirs.source().equals(r.source())) continue;
                changes.add(new Change.OpenVpnSignal(other.host(), other.device(), other.config().configFile(), other.config().writepid(), "USR1",
                        roundtrip.model.Message.of(Sentences.SIGNAL_CLIENT_RECONNECTS_FOR_PUSH, k.commonName())));
            }
            where = server.host() + ":" + file;
        }
        return new Fix("openvpn-redirect-gateway-def1", f, changes, true,
                "`" + redirect + "` in " + where + ": OpenVPN keeps the old default route, covers it with 0.0.0.0/1 and 128.0.0.0/1 into"
                        + " the tunnel and routes the server itself via the old gateway; the tunnel is down while the daemon restarts",
                "在 " + where + " 中改为 `" + redirect + "`：OpenVPN 保留原默认路由，用 0.0.0.0/1 和 128.0.0.0/1 覆盖它并指向隧道，"
                        + "服务器本身仍经原网关；守护进程重启期间隧道中断");
    }

    /**
     * A road-warrior client's only peer made its full tunnel, as wg-quick makes a /0 (add_default): the interface's
     * fwmark names the table, else the first table from 51820 without routes. Null for a host with several peers on
     * the interface (a hub or a site router: a /0 there would take every peer's traffic), one that already has a /0, and
     * OpenWrt (its netifd does not do wg-quick's policy routing).
     */
    private static Change.WgQuickFullTunnel fullTunnel(Host h, String dev, String peerKey) {
        if (Dialect.of(h) == Dialect.OPENWRT) return null;
        for (roundtrip.model.TunnelConfig t : h.tunnels()) {
            if (!(t instanceof WireGuardConfig wg) || !wg.device().equals(dev) || wg.peers().size() != 1) continue;
            WireGuardConfig.Peer p = wg.peers().get(0);
            if (!peerKey.equals(p.publicKey()) || p.allowedIps().stream().anyMatch(a -> a.addr().isV4() && a.len() == 0)) return null;
            long table = roundtrip.importer.WgQuickUp.table(wg.fwmark(), t2 -> h.routes().stream().anyMatch(r -> r.table() == t2));
            roundtrip.model.Interface i = h.interfaces().get(dev);
            List<Ip> addrs = i == null ? List.of() : i.addresses().stream().map(roundtrip.model.Address::local).filter(Ip::isV4).toList();
            return new Change.WgQuickFullTunnel(h.name(), dev, peerKey, p.allowedIps(), table, wg.fwmark() == 0, addrs);
        }
        return null;
    }

    /** The peer's AllowedIPs with {@code add} appended, or null when the peer is unknown or already has it. */
    private static Change.WireGuardAllowedIps allowedIps(Host h, String dev, String peerKey, Prefix add) {
        for (var t : h.tunnels()) {
            if (!(t instanceof WireGuardConfig wg) || !wg.device().equals(dev)) continue;
            for (int i = 0; i < wg.peers().size(); i++) {
                WireGuardConfig.Peer p = wg.peers().get(i);
                if (peerKey.equals(p.publicKey()) && !p.allowedIps().contains(add))
                    return new Change.WireGuardAllowedIps(h.name(), dev, peerKey, i, p.allowedIps(), add);
            }
        }
        return null;
    }

    private static boolean isTunnel(Host h, String dev) {
        return dev != null && h.tunnels().stream().anyMatch(t -> dev.equals(t.device()));
    }

    private static OpenVpnConfig openVpn(Host h, String dev) {
        for (var t : h.tunnels()) if (t instanceof OpenVpnConfig o && o.device().equals(dev)) return o;
        return null;
    }

    /** A route sending {@code net} into {@code dev}, or null when the host's main table already does. */
    private static Change routeIntoDevice(Host h, Prefix net, String dev) {
        var r = new roundtrip.kernel.Fib(h).lookup(roundtrip.kernel.Flow.output(net.addr(), null, null, 0));
        if (!r.isError() && r.route() != null && dev.equals(r.route().dev())) return null;
        return routeChange(h, Route.TABLE_MAIN, net, null, dev);
    }

    /** A host on one of {@code h}'s links, its address there, and the prefix of the route it has for a destination. */
    private record Neighbour(String host, Ip via, String dev, Prefix prefix) {}

    /** Forwarding neighbours on h's links whose own route for dst (not a default route, not back through h) leads on. */
    private List<Neighbour> neighboursRouting(Host h, Ip dst) {
        List<Neighbour> out = new ArrayList<>();
        for (roundtrip.model.Segment seg : net.segments()) {
            String dev = null;
            for (roundtrip.model.Segment.Attachment a : seg.members()) if (a.host().equals(h.name())) dev = a.iface();
            if (dev == null || h.iface(dev) == null) continue;
            for (roundtrip.model.Segment.Attachment a : seg.members()) {
                Host m = net.host(a.host());
                Ip via = m == null || m == h ? null : forwardingAddress(h, dev, m, a.iface(), dst.family());
                if (via == null) continue;
                roundtrip.kernel.FibResult r = new roundtrip.kernel.Fib(m).lookup(roundtrip.kernel.Flow.output(dst, null, null, 0));
                if (r.isError() || r.route() == null || r.type() != RouteType.UNICAST || r.route().dst().len() == 0) continue;
                if (a.iface().equals(r.route().dev()) && r.route().gateway() != null && h.ownsAddress(r.route().gateway())) continue;
                out.add(new Neighbour(m.name(), via, dev, r.route().dst()));
            }
        }
        return out;
    }

    /** {@code m}'s address on its {@code mDev} within a subnet of h's {@code dev}, when m forwards there; else null. */
    private static Ip forwardingAddress(Host h, String dev, Host m, String mDev, Ip.Family family) {
        if (m.iface(mDev) == null || !m.sysctls().forwarding(mDev)) return null;
        Ip via = null;
        for (roundtrip.model.Address addr : m.iface(mDev).addresses(family))
            for (roundtrip.model.Address own : h.iface(dev).addresses(family))
                if (own.subnet().contains(addr.local())) via = addr.local();
        return via;
    }

    /** Forwarding neighbours on h's link {@code dev} with any route (a default one too) for dst that does not lead back to h. */
    private List<Neighbour> neighboursForwarding(Host h, String dev, Ip dst) {
        List<Neighbour> out = new ArrayList<>();
        if (h.iface(dev) == null) return out;
        for (roundtrip.model.Segment.Attachment a : net.peersOn(h.name(), dev)) {
            Host m = net.host(a.host());
            Ip via = m == null ? null : forwardingAddress(h, dev, m, a.iface(), dst.family());
            if (via == null) continue;
            roundtrip.kernel.FibResult r = new roundtrip.kernel.Fib(m).lookup(roundtrip.kernel.Flow.output(dst, null, null, 0));
            if (r.isError() || r.route() == null || r.type() != RouteType.UNICAST) continue;
            if (r.route().gateway() != null && h.ownsAddress(r.route().gateway())) continue;
            out.add(new Neighbour(m.name(), via, dev, r.route().dst()));
        }
        return out;
    }

    /** The ACCEPT rules (as iptables-save prints them) after {@code rule} in the same table and chain, at most five. */
    static List<String> acceptsAfter(Host h, String table, String chain, String rule) {
        List<String> out = new ArrayList<>();
        String text = Editor.iptablesText(h);
        if (text == null) return out;
        String current = null;
        boolean after = false;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("*")) { current = l.substring(1); after = false; continue; }
            if (!table.equals(current) || !l.startsWith("-A " + chain + " ")) continue;
            if (l.equals(rule.strip())) { after = true; continue; }
            if (after && l.endsWith(" -j ACCEPT") && out.size() < 5 && !out.contains(l)) out.add(l);
        }
        return out;
    }

    /** True when the host's iptables filter table has the chain (Docker's DOCKER, DOCKER-USER). */
    static boolean hasChain(Host h, String chain) {
        List<roundtrip.netfilter.Ruleset> all = new ArrayList<>();
        all.add(h.firewall().iptablesPart());
        if (h.firewall().ip6tablesPart() != null) all.add(h.firewall().ip6tablesPart());
        for (roundtrip.netfilter.Ruleset r : all)
            if (r instanceof roundtrip.netfilter.iptables.IptablesRuleset rs && rs.tableNames().contains("filter")
                    && rs.chainNames("filter").contains(chain)) return true;
        return false;
    }

    private static Change routeChange(Host h, int table, Prefix dst, Ip via, String dev) {
        Route r = new Route(table, RouteType.UNICAST, dst, via, dev, null, 0, null, 0, false, Source.NONE);
        for (Route old : h.routes())
            if (old.table() == table && old.dst().equals(dst) && old.metric() == 0) return new Change.ReplaceRoute(h.name(), old, r);
        return new Change.AddRoute(h.name(), r);
    }

    /**
     * A table that sends answers back out of {@code dev}: the connected network of {@code dev} (so neighbours are
     * still answered directly), the route the request took here (for DNAT to a host behind), and a default route
     * via the neighbour the request came from.
     */
    private static List<Change> tableRoutes(Host h, int table, String dev, Ip via, Route forwardRoute) {
        List<Change> out = new ArrayList<>();
        List<Prefix> done = new ArrayList<>();
        for (Route r : h.routes()) {
            if (r.table() != Route.TABLE_MAIN || r.type() != RouteType.UNICAST || r.gateway() != null || !dev.equals(r.dev())
                    || r.dst().len() == 0 || r.family() != via.family()) continue;
            out.add(new Change.AddRoute(h.name(), new Route(table, RouteType.UNICAST, r.dst(), null, r.dev(), null, 0, null, 0, false, Source.NONE)));
            done.add(r.dst());
        }
        Route fwd = PacketPath.hostRoute(h, forwardRoute);
        if (fwd != null && fwd.dst().len() > 0 && !done.contains(fwd.dst()))
            out.add(new Change.AddRoute(h.name(), new Route(table, RouteType.UNICAST, fwd.dst(), fwd.gateway(), fwd.dev(), null, 0, null, 0, false, Source.NONE)));
        out.add(new Change.AddRoute(h.name(), new Route(table, RouteType.UNICAST, Prefix.any(via.family()), via, dev, null, 0, null, 0, false, Source.NONE)));
        return out;
    }


    /** The address NAT on {@code host}'s {@code dev} gives packets of the family of {@code like} (its prober's). */
    private String addressOf(String host, String dev, Ip like) {
        Ip.Family family = like == null ? Ip.Family.IPV4 : like.family();
        Host h = net.host(host);
        var i = h == null ? null : h.iface(dev);
        if (i != null)
            for (roundtrip.model.Address a : i.addresses(family))
                if (!a.secondary() && !a.local().isLinkLocal()) return String.valueOf(a.local());
        return "the address of " + host + "'s " + dev;
    }

    /** A firewalld zone (its iptables backend's chains) and whether its masquerade also accepts forwarding out of it. */
    record FirewalldZone(String zone, boolean forwardsToo, boolean nft) {}

    /**
     * The zone firewalld puts {@code dev} in, as its nat chain POSTROUTING_ZONES dispatches it (`-o DEV -g POST_ZONE`,
     * else the default zone's catch-all `-g POST_ZONE`); null when the host's rules are not firewalld's. Before 1.0
     * a zone's chains are FWDO_ZONE*, and masquerade also accepts new connections there.
     */
    static FirewalldZone firewalldZone(Host h, String dev) {
        if (Dialect.of(h) != Dialect.FIREWALLD) return null;
        roundtrip.netfilter.Ruleset nftPart = h.firewall().nftPart();
        if (nftPart instanceof NftRuleset nft && nft.tableNames().contains("inet firewalld")) {
            // nft backend (nftables.py): nat_POSTROUTING_ZONES dispatches `oifname "DEV" goto nat_POST_ZONE`
            String zone = null, fallback = null;
            boolean fwdo = false;
            java.util.regex.Pattern p = java.util.regex.Pattern.compile("^(?:oifname \"([^\"]+)\" )?goto nat_POST_(\\S+)$");
            for (NftRuleset.RuleInfo r : nft.rules()) {
                if (r.chain().startsWith("filter_FWDO_")) fwdo = true;
                if (!r.chain().equals("nat_POSTROUTING_ZONES")) continue;
                java.util.regex.Matcher m = p.matcher(r.source().text().strip());
                if (!m.matches()) continue;
                if (m.group(1) == null) { if (fallback == null) fallback = m.group(2); }
                else if (m.group(1).equals(dev) && zone == null) zone = m.group(2);
            }
            if (zone == null) zone = fallback;
            return zone == null ? null : new FirewalldZone(zone, fwdo, true);
        }
        String text = Editor.iptablesText(h);
        if (text == null) return null;
        String zone = null, fallback = null;
        for (String line : text.split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^-A POSTROUTING_ZONES (?:-o (\\S+) )?-g POST_(\\S+)\\s*$").matcher(line.strip());
            if (!m.matches()) continue;
            if (m.group(1) == null) { if (fallback == null) fallback = m.group(2); }
            else if (m.group(1).equals(dev) && zone == null) zone = m.group(2);
        }
        if (zone == null) zone = fallback;
        if (zone == null) return null;
        String z = zone;
        return new FirewalldZone(z, text.lines().anyMatch(l -> l.startsWith(":FWDO_" + z + "_allow ")), false);
    }

    /**
     * OpenWrt: a forwarded packet whose incoming or outgoing device is in no firewall zone meets only fw4's defaults
     * (the default forward policy, nothing masqueraded). The admin's fix is to put the device's interface into a zone,
     * one uci change that brings the zone's forwardings and masquerading with it: the zone the other side is in (its
     * own forward policy then decides), or a zone the forwardings connect to it. Each is simulated with the ruleset
     * fw4 generates again.
     */
    private void zoneMembership(Host h, Finding f, Finding.Facts x, List<Fix> out) {
        roundtrip.model.FirewallConfig fc = h.firewallConfig();
        if (fc == null || x.inDev() == null || x.outDev() == null) return;
        for (boolean outSide : new boolean[] {true, false}) {
            String dev = outSide ? x.outDev() : x.inDev(), other = outSide ? x.inDev() : x.outDev();
            if (!fc.zonesOfDevice(dev).isEmpty()) continue;
            String network = fc.networkOfDevice(dev);
            // no interface of /etc/config/network has the device (an OpenVPN tun, say): the zone lists the device;
            // a tunnel device by its prefix, as OpenVPN's `dev tun` takes whichever tunN is free
            roundtrip.model.Interface i = h.iface(dev);
            String key = network != null ? "network" : "device";
            String value = network != null ? network
                    : i != null && "tun".equals(i.kind()) && dev.matches("[a-z]+[0-9]+") ? dev.replaceAll("[0-9]+$", "") + "+" : dev;
            List<String> zones = new ArrayList<>();
            for (String z : fc.zonesOfDevice(other)) {
                if (!zones.contains(z)) zones.add(z);
                for (String fwd : fc.forwardings(z, outSide)) if (!zones.contains(fwd)) zones.add(fwd);
            }
            for (String zone : zones) {
                String masq = fc.zoneOption(zone, "masq");
                boolean masquerades = masq != null && Fw4.isTrue(masq) && outSide;
                out.add(new Fix("openwrt-zone-add-" + key, f, List.of(new Change.UciFirewallZoneAdd(h.name(), zone, fc.zoneSection(zone), key, value)),
                        !masquerades,
                        dev + " joins zone " + zone + ": what the zone allows (its policies, forwardings"
                                + (masquerades ? ", masquerading" : "") + ") now applies to it, in one change",
                        dev + " 加入 " + zone + " 区域：该区域允许的（策略、转发" + (masquerades ? "、地址伪装" : "") + "）一次性对它生效"));
            }
        }
    }

    /**
     * The ACCEPT rule that was meant for the packet and differs in one field (see the finding's meant facts): the same
     * rule with that field as the packet has it, inserted at the head of its chain; an address keeps the rule's prefix
     * length (a renumbered pool, not one client). The old rule stays. True when such a fix was added.
     */
    private boolean ruleAsMeant(Host h, Finding f, Finding.Facts x, List<Fix> out) {
        String rule = f.evidence() == null ? "" : f.evidence().text().strip();
        if (x.meantFlag() == null || x.meantValue() == null || !rule.startsWith("-A ")) return false;
        List<String> words = new ArrayList<>(List.of(Text.words(rule)));
        int at = words.indexOf(x.meantFlag());
        if (at < 2 || at + 1 >= words.size() || words.get(at - 1).equals("!")) return false;
        String written = words.get(at + 1), value = x.meantValue();
        if ((x.meantFlag().equals("-s") || x.meantFlag().equals("-d")) && Ip.isV4Address(value)) {
            int len = written.contains("/") ? Integer.parseInt(written.substring(written.indexOf('/') + 1)) : 32;
            value = len == 32 ? value : new roundtrip.model.Prefix(Ip.parseV4(value), len).toString();
        }
        words.set(at + 1, value);
        String chain = words.get(1);
        String spec = String.join(" ", words.subList(2, words.size()));
        String[] tc = x.chain() == null ? null : x.chain().split(" ", 2);
        String table = tc != null && tc.length == 2 ? tc[0] : "filter";
        out.add(new Fix("accept-rule-as-meant", f, List.of(new Change.IptablesRule(h.name(), table, chain, true, spec)), true,
                "the accept that was meant for this traffic, with " + x.meantFlag() + " " + value + " instead of " + written
                        + "; the old rule stays (delete it if nothing uses " + written + " any more)",
                "本来就是为这类流量写的放行规则，把 " + x.meantFlag() + " " + written + " 改成 " + value + "；旧规则保留（若 "
                        + written + " 已不再使用可删除）"));
        return true;
    }
}
