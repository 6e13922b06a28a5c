package roundtrip.fix;

import roundtrip.model.FirewallConfig;
import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.TunnelConfig;
import roundtrip.model.WireGuardConfig;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.model.Sysctls;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.iptables.IptablesRuleset;
import roundtrip.netfilter.iptables.IptablesSaveParser;
import roundtrip.netfilter.nft.NftRuleset;
import roundtrip.model.OpenVpnConfig.Redirect;
import roundtrip.tunnel.OpenVpnRoutes;
import roundtrip.tunnel.OpenVpnTunnel;
import roundtrip.tunnel.Tunnel;
import roundtrip.tunnel.Tunnels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies changes to a copy of a network: new Host objects with the routes, rules, sysctls or iptables rules
 * changed as the kernel would change them. iptables changes are made to the host's iptables-save text, which is
 * parsed again. An OpenWrt firewall option is set in the router's /etc/config/firewall when the input holds it, and
 * the ruleset generated again; otherwise fw4's generated ruleset loses or keeps exactly what fw4 would generate
 * differently ({@link Fw4}).
 */
public final class Editor {
    /** Thrown when a change cannot be applied (as the real command would fail). */
    public static final class CannotApply extends RuntimeException {
        private final roundtrip.model.Message reason;

        /** Why, as written (English not yet said by id, or the words of an error caught). */
        public CannotApply(String message) { this(roundtrip.model.Message.text(message)); }

        public CannotApply(roundtrip.model.Message reason) {
            super(reason.english());
            this.reason = reason;
        }

        /** Why the change cannot be applied. */
        public roundtrip.model.Message reason() { return reason; }
    }

    /** The iptables-save text a host's rules were read from; "" without iptables rules; null when they are not iptables. */
    public static String iptablesText(Host h) {
        Ruleset fw = h.firewall().iptablesPart();
        if (fw instanceof IptablesRuleset rs) return rs.text();
        return fw == Ruleset.EMPTY ? "" : null;
    }

    public Network apply(Network net, List<? extends Change> changes) {
        Map<String, Host> hosts = new LinkedHashMap<>(net.hosts());
        Map<String, String> texts = new HashMap<>();
        for (Change c : changes) {
            Host h = hosts.get(c.host());
            if (h == null) throw new CannotApply(roundtrip.model.Message.of(Sentences.NO_HOST, c.host()));
            if (c instanceof Change.OpenVpnRedirectGateway g) redirectGateway(hosts, net, g);
            else if (c instanceof Change.OpenVpnSignal sig) indexOfTunnel(h.tunnels(), sig.device(), OpenVpnConfig.class);
            else if (c instanceof Change.ByTool tool) for (Change r : tool.raw()) hosts.put(h.name(), apply(hosts.get(h.name()), r, texts));
            else hosts.put(h.name(), apply(h, c, texts));
        }
        return new Network(new ArrayList<>(hosts.values()), net.segments());
    }

    /**
     * A redirect-gateway line replaced: the client's own, or the server's pushed one (then on each client that applies
     * it). The fix's signals bring the daemons down and up again: each client's table loses what the old redirect added,
     * gets back the default route it had replaced, and gains what the new one adds ({@link OpenVpnRoutes#afterReconnect}).
     */
    private static void redirectGateway(Map<String, Host> hosts, Network original, Change.OpenVpnRedirectGateway g) {
        Network current = new Network(new ArrayList<>(hosts.values()), original.segments());
        Tunnels tunnels = new Tunnels(current);
        Host h = hosts.get(g.host());
        OpenVpnConfig edited = (OpenVpnConfig) h.tunnels().get(indexOfTunnel(h.tunnels(), g.device(), OpenVpnConfig.class));
        Source src = new Source("(fix) " + g.file(), 0, g.line());
        Redirect newRedirect = new Redirect(g.flags(), src);
        List<OpenVpnTunnel> clients = new ArrayList<>();
        OpenVpnConfig newConfig;
        if (!g.pushed()) {
            if (edited.redirectGateway() == null || !edited.redirectGateway().source().equals(g.old()))
                throw new CannotApply(roundtrip.model.Message.of(Sentences.NOT_THE_REDIRECT_GATEWAY, g.old().where(), h.name(), g.device()));
            newConfig = edited.withRedirectGateway(newRedirect);
            if (tunnels.onDevice(h.name(), g.device()) instanceof OpenVpnTunnel t) clients.add(t);
        } else {
            // in the server's configuration, or in a client's CCD file
            OpenVpnConfig.Option pushed = new OpenVpnConfig.Option("redirect-gateway " + String.join(" ", g.flags()), src);
            List<OpenVpnConfig.Option> pushes = replaced(edited.pushes(), g.old(), pushed);
            List<OpenVpnConfig.Ccd> ccds = new ArrayList<>();
            boolean inCcd = false;
            for (OpenVpnConfig.Ccd ccd : edited.ccds()) {
                List<OpenVpnConfig.Option> p = replaced(ccd.pushes(), g.old(), pushed);
                if (p != null) {
                    inCcd = true;
                    ccd = new OpenVpnConfig.Ccd(ccd.commonName(), ccd.iroutes(), ccd.ifconfigPush(), p, ccd.pushReset(), ccd.disabled(), ccd.source());
                }
                ccds.add(ccd);
            }
            if (pushes == null && !inCcd) throw new CannotApply(roundtrip.model.Message.of(Sentences.NOT_PUSHED_BY, g.old().where(), h.name(), g.device()));
            newConfig = pushes != null ? edited.withPushes(pushes) : edited.withCcdsAndStatus(ccds, edited.status());
            if (tunnels.onDevice(h.name(), g.device()) instanceof OpenVpnTunnel server)
                for (Tunnel t : tunnelsOf(current, tunnels))
                    if (t instanceof OpenVpnTunnel c && c.server() == server) clients.add(c);
        }
        hosts.put(h.name(), withTunnel(h, g.device(), newConfig));
        for (OpenVpnTunnel c : clients) {
            OpenVpnTunnel server = c.server();
            String cn = null;
            Ip realAddr = null;
            if (server != null)
                for (OpenVpnTunnel.Client k : server.clients())
                    if (k.peer() != null && k.peer().equals(c.host() + ":" + c.device())) { cn = k.commonName(); realAddr = k.realAddr(); }
            OpenVpnConfig serverBefore = server == null ? null : server.config();
            Host ch = hosts.get(c.host());
            OpenVpnConfig clientBefore = c.config();
            OpenVpnConfig clientAfter = c.host().equals(h.name()) && c.device().equals(g.device()) ? newConfig : clientBefore;
            OpenVpnConfig serverAfter = server != null && server.host().equals(h.name()) && server.device().equals(g.device()) ? newConfig : serverBefore;
            Redirect before = OpenVpnRoutes.redirectInForce(clientBefore, serverBefore, cn);
            Redirect after = OpenVpnRoutes.redirectInForce(clientAfter, serverAfter, cn);
            Ip vpnGateway = OpenVpnRoutes.vpnGateway(clientAfter, serverAfter, cn, ch);
            List<Route> routes;
            try {
                routes = OpenVpnRoutes.afterReconnect(ch, clientAfter, before, after, vpnGateway, realAddr, src, new ArrayList<>());
            } catch (IllegalArgumentException e) {
                throw new CannotApply(e.getMessage());
            }
            Host now = hosts.get(c.host());
            hosts.put(c.host(), new Host(now.name(), new ArrayList<>(now.interfaces().values()), routes, now.rules(), now.firewall(),
                    now.sysctls(), now.listeners(), now.problems(), now.tunnels()).withManaged(now.managed()));
        }
    }

    /** {@code options} with the one read from {@code old} replaced by {@code by}; null when none was. */
    private static List<OpenVpnConfig.Option> replaced(List<OpenVpnConfig.Option> options, Source old, OpenVpnConfig.Option by) {
        List<OpenVpnConfig.Option> out = new ArrayList<>();
        boolean found = false;
        for (OpenVpnConfig.Option o : options) {
            if (o.source().equals(old)) { o = by; found = true; }
            out.add(o);
        }
        return found ? out : null;
    }

    private static List<Tunnel> tunnelsOf(Network net, Tunnels tunnels) {
        List<Tunnel> out = new ArrayList<>();
        for (Host x : net.hosts().values())
            for (TunnelConfig t : x.tunnels()) {
                Tunnel found = tunnels.onDevice(x.name(), t.device());
                if (found != null) out.add(found);
            }
        return out;
    }

    private static Host withTunnel(Host h, String device, TunnelConfig config) {
        List<TunnelConfig> tunnels = new ArrayList<>(h.tunnels());
        tunnels.set(indexOfTunnel(tunnels, device, config.getClass()), config);
        return new Host(h.name(), new ArrayList<>(h.interfaces().values()), h.routes(), h.rules(), h.firewall(), h.sysctls(),
                h.listeners(), h.problems(), tunnels).withManaged(h.managed());
    }

    private Host apply(Host h, Change c, Map<String, String> texts) {
        List<Route> routes = new ArrayList<>(h.routes());
        List<Rule> rules = new ArrayList<>(h.rules());
        Ruleset firewall = h.firewall();
        Sysctls sysctls = h.sysctls();
        List<TunnelConfig> tunnels = new ArrayList<>(h.tunnels());
        FirewallConfig firewallConfig = h.firewallConfig();
        List<roundtrip.model.NdpProxy> proxies = new ArrayList<>(h.ndpProxies());
        if (c instanceof Change.AddNdpProxy np) {
            proxies.add(new roundtrip.model.NdpProxy(np.address(), np.dev(), new Source("(fix)", 0, np.command())));
        } else if (c instanceof Change.UciFirewallZoneOption u) {
            if (firewallConfig != null) {
                // the router's own configuration: set the option and generate the ruleset again, as fw4 reload does
                if (texts.containsKey(h.name()))
                    throw new CannotApply(roundtrip.model.Message.of(Sentences.IPTABLES_AND_UCI_TOGETHER, h.name()));
                if (firewallConfig.zoneSection(u.zone()) == null)
                    throw new CannotApply(roundtrip.model.Message.of(Sentences.UCI_NO_SUCH_ZONE, firewallConfig.file(), u.zone()));
                firewallConfig = firewallConfig.withZoneOption(u.zone(), u.option(), u.value());
                firewall = firewallConfig.ruleset(new ArrayList<>());
            } else {
                // only the ruleset fw4 generated: remove or keep exactly what fw4 generates differently
                NftRuleset fw4 = Fw4.ruleset(h);
                if (fw4 == null)
                    throw new CannotApply(roundtrip.model.Message.of(Sentences.UCI_NOTHING_KNOWN, h.name()));
                firewall = Fw4.replace(h, Fw4.withZoneOption(fw4, u.zone(), u.option(), u.value()));
            }
        } else if (c instanceof Change.NftAddRule n) {
            Ruleset part = h.firewall().nftPart();
            if (!(part instanceof NftRuleset nft) || !nft.tableNames().contains(n.family() + " " + n.table()))
                throw new CannotApply(roundtrip.model.Message.of(Sentences.NO_NFT_TABLE, h.name(), n.family(), n.table()));
            NftRuleset edited;
            try {
                edited = nft.withRule(n.family(), n.table(), n.chain(), n.rule(), n.insert());
            } catch (IllegalArgumentException e) {
                throw new CannotApply(e.getMessage());
            }
            firewall = h.firewall() instanceof Ruleset.Combined both ? Ruleset.combine(both.first(), edited) : edited;
        } else if (c instanceof Change.NftCommand n) {
            // the commands of one fix on one host form one script (a rule needs the table and chain added before it),
            // read as `nft -f` reads it, beside the host's own firewall: its base chains run by priority with the others
            String key = "nft " + h.name();
            boolean first = !texts.containsKey(key);
            String script = (first ? "" : texts.get(key)) + n.line() + "\n";
            texts.put(key, script);
            Ruleset base = first ? h.firewall() : ((Ruleset.Combined) h.firewall()).first();
            NftRuleset added;
            try {
                added = roundtrip.netfilter.nft.NftInput.text("(fix) " + h.name() + " nft", script, line -> line).ruleset(t -> false);
            } catch (roundtrip.model.InputException e) {
                throw new CannotApply(roundtrip.model.Message.of(Sentences.NFT_REFUSED, n.line(), roundtrip.model.Message.text(e.getMessage())));
            }
            if (!added.problems().isEmpty()) throw new CannotApply(roundtrip.model.Message.of(Sentences.NFT_REFUSED, n.line(), added.problems().get(0).message()));
            firewall = Ruleset.combine(base, added);
        } else if (c instanceof Change.UciFirewallZoneAdd z) {
            if (firewallConfig == null)
                throw new CannotApply(roundtrip.model.Message.of(Sentences.UCI_CONFIG_UNKNOWN, h.name()));
            if (texts.containsKey(h.name()))
                throw new CannotApply(roundtrip.model.Message.of(Sentences.IPTABLES_AND_UCI_TOGETHER, h.name()));
            if (firewallConfig.zoneSection(z.zone()) == null)
                throw new CannotApply(roundtrip.model.Message.of(Sentences.UCI_NO_SUCH_ZONE, firewallConfig.file(), z.zone()));
            firewallConfig = firewallConfig.withZoneListItem(z.zone(), z.key(), z.value());
            firewall = firewallConfig.ruleset(new ArrayList<>());
        } else if (c instanceof Change.WireGuardAllowedIps w) {
            int i = indexOfTunnel(tunnels, w.device(), WireGuardConfig.class);
            WireGuardConfig wg = (WireGuardConfig) tunnels.get(i);
            List<WireGuardConfig.Peer> peers = new ArrayList<>();
            boolean found = false;
            for (WireGuardConfig.Peer p : wg.peers()) {
                if (p.publicKey() != null && p.publicKey().equals(w.peerKey())) {
                    found = true;
                    List<Prefix> allowed = new ArrayList<>(p.allowedIps());
                    if (!allowed.contains(w.add())) allowed.add(w.add());
                    p = new WireGuardConfig.Peer(p.publicKey(), p.endpointAddr(), p.endpointPort(), allowed, p.source(),
                            new Source("(fix)", 0, c.command()));
                }
                peers.add(p);
            }
            if (!found) throw new CannotApply(roundtrip.model.Message.of(Sentences.WG_NOT_A_PEER, w.peerKey(), w.device()));
            tunnels.set(i, new WireGuardConfig(wg.device(), wg.publicKey(), wg.listenPort(), wg.fwmark(), peers, wg.source()));
        } else if (c instanceof Change.WireGuardFwmark m) {
            int i = indexOfTunnel(tunnels, m.device(), WireGuardConfig.class);
            tunnels.set(i, ((WireGuardConfig) tunnels.get(i)).withFwmark(m.mark()));
        } else if (c instanceof Change.OpenVpnIroute o) {
            int i = indexOfTunnel(tunnels, o.device(), OpenVpnConfig.class);
            OpenVpnConfig ovpn = (OpenVpnConfig) tunnels.get(i);
            Source src = new Source("(fix) " + o.file(), 0, o.line());
            List<OpenVpnConfig.Ccd> ccds = new ArrayList<>();
            boolean found = false;
            for (OpenVpnConfig.Ccd ccd : ovpn.ccds()) {
                if (ccd.commonName().equals(o.commonName())) {
                    found = true;
                    List<OpenVpnConfig.Iroute> iroutes = new ArrayList<>(ccd.iroutes());
                    iroutes.add(new OpenVpnConfig.Iroute(o.net(), src));
                    ccd = new OpenVpnConfig.Ccd(ccd.commonName(), iroutes, ccd.ifconfigPush(), ccd.pushes(), ccd.pushReset(), ccd.disabled(), ccd.source());
                }
                ccds.add(ccd);
            }
            if (!found) ccds.add(new OpenVpnConfig.Ccd(o.commonName(), List.of(new OpenVpnConfig.Iroute(o.net(), src)), null, List.of(),
                    false, false, src));
            tunnels.set(i, ovpn.withCcdsAndStatus(ccds, ovpn.status()));
        } else if (c instanceof Change.AddRoute a) {
            for (Route r : routes)
                if (r.table() == a.route().table() && r.dst().equals(a.route().dst()) && r.metric() == a.route().metric() && r.tos() == 0)
                    throw new CannotApply(roundtrip.model.Message.of(Sentences.ROUTE_EXISTS, new roundtrip.model.Message.RouteText(r.text(), null)));
            routes.add(withSource(a.route(), c));
        } else if (c instanceof Change.RaRoute a) {
            routes.add(withSource(a.route(), c));
        } else if (c instanceof Change.DelRoute d) {
            // rtm_del: table, destination, type and attributes as given
            if (!routes.removeIf(r -> r.table() == d.route().table() && r.text().equals(d.route().text())))
                throw new CannotApply(roundtrip.model.Message.of(Sentences.ROUTE_NO_SUCH_PROCESS, new roundtrip.model.Message.RouteText(d.route().text(), null)));
        } else if (c instanceof Change.ReplaceRoute rr) {
            routes.removeIf(r -> r.table() == rr.route().table() && r.dst().equals(rr.route().dst()) && r.metric() == rr.route().metric());
            routes.add(withSource(rr.route(), c));
        } else if (c instanceof Change.DelRule dr) {
            // fib_nl_delrule: the rule with that priority and those selectors
            if (!rules.removeIf(r -> r.family() == dr.rule().family() && r.priority() == dr.rule().priority() && r.text().equals(dr.rule().text())))
                throw new CannotApply(roundtrip.model.Message.of(Sentences.RULE_NO_SUCH_FILE, dr.selector()));
        } else if (c instanceof Change.AddRule ar) {
            Ip.Family family = ar.from() != null ? ar.from().family() : ar.to() != null ? ar.to().family() : Ip.Family.IPV4;
            List<Rule> ofFamily = rules.stream().filter(r -> r.family() == family).toList();
            if (ofFamily.isEmpty()) rules.addAll(ofFamily = kernelDefaultRules(family));
            rules.add(new Rule(family, defaultPriority(ofFamily), ar.not(), ar.from(), ar.to(), ar.fwmark(), ar.fwmark() == null ? 0 : 0xffffffffL,
                    null, null, null, "table", ar.table(), 0, ar.suppressPrefixLength(), new Source("(fix)", 0, c.command())));
        } else if (c instanceof Change.SetSysctl s) {
            Map<String, String> values = new HashMap<>(sysctls.all());
            Map<String, Source> sources = new HashMap<>();
            for (String k : values.keySet()) sources.put(k, sysctls.source(k));
            values.put(s.key(), s.value());
            sources.put(s.key(), new Source("(fix)", 0, s.key() + " = " + s.value()));
            boolean all = s.key().equals("net.ipv4.ip_forward") || s.key().equals("net.ipv4.conf.all.forwarding");
            if (all) {
                // ip_forward is conf.all.forwarding (the same devconf entry)
                for (String k : List.of("net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding"))
                    if (k.equals(s.key()) || values.containsKey(k)) { values.put(k, s.value()); sources.put(k, new Source("(fix)", 0, s.key() + " = " + s.value())); }
            }
            // devinet_sysctl_forward: only a write that changes conf.all.forwarding calls inet_forward_change, which sets
            // conf.default and every device's switch; writing the value it already has leaves a device at 0 as it is
            if (all && sysctls.ipForward() != !"0".equals(s.value().trim())) {
                for (String k : List.copyOf(values.keySet())) {
                    if (k.startsWith("net.ipv4.conf.") && k.endsWith(".forwarding")) {
                        values.put(k, s.value());
                        sources.put(k, new Source("(fix)", 0, s.key() + " = " + s.value()));
                    }
                }
            }
            // addrconf_fixup_forwarding: a change of net.ipv6.conf.all.forwarding is written to every device and default
            if (s.key().equals("net.ipv6.conf.all.forwarding") && (sysctls.intValue(s.key(), 0) != 0) != !"0".equals(s.value().trim())) {
                for (String k : List.copyOf(values.keySet())) {
                    if (k.startsWith("net.ipv6.conf.") && k.endsWith(".forwarding")) {
                        values.put(k, s.value());
                        sources.put(k, new Source("(fix)", 0, s.key() + " = " + s.value()));
                    }
                }
            }
            sysctls = sysctls.with(values, sources);
        } else if (iptablesNftTable(h, c) != null) {
            // iptables-nft: with no iptables-save rules of the family, the command edits the table it keeps in nftables
            NftRuleset nft = iptablesNftTable(h, c);
            firewall = replaced(h.firewall(), nft, inIptablesNftTable(nft, c));
        } else if (c instanceof Change.IptablesRule || c instanceof Change.IptablesDelete || c instanceof Change.IptablesPolicy) {
            boolean v6 = c instanceof Change.IptablesRule r6 && r6.v6() || c instanceof Change.IptablesDelete d6 && d6.v6()
                    || c instanceof Change.IptablesPolicy p6 && p6.v6();
            String key = (v6 ? "ip6tables " : "") + h.name();
            String text = texts.computeIfAbsent(key, n -> v6 ? currentText6(h) : currentText(h));
            if (c instanceof Change.IptablesRule ir) text = IptablesText.withRule(text, ir.table(), ir.chain(), ir.insert(), ir.spec());
            else if (c instanceof Change.IptablesDelete del) text = IptablesText.withoutRule(text, del.table(), del.line());
            else if (c instanceof Change.IptablesPolicy pol) text = IptablesText.withPolicy(text, pol.table(), pol.chain(), pol.policy());
            texts.put(key, text);
            IptablesRuleset edited = v6 ? IptablesSaveParser.parseIp6Ruleset(h.name() + "/ip6tables-save.txt (with the fix)", text)
                    : IptablesSaveParser.parseRuleset(h.name() + "/iptables-save.txt (with the fix)", text);
            // the host's ipset sets stay what they were
            Ruleset before = v6 ? h.firewall().ip6tablesPart() : h.firewall().iptablesPart();
            if (before instanceof IptablesRuleset old && old.sets() != null) edited.useSets(old.sets());
            // the other parts stay as they are: ip6tables beside iptables, and nftables rules (iptables-nft adds its own
            // tables next to them, as on an OpenWrt router with fw4), all run by their hooks' priorities
            Ruleset ipv4 = v6 ? part(h.firewall().iptablesPart()) : edited;
            Ruleset ipv6 = v6 ? edited : h.firewall().ip6tablesPart();
            firewall = Ruleset.of(ipv4, ipv6, nftOf(h.firewall()));
        }
        return new Host(h.name(), new ArrayList<>(h.interfaces().values()), routes, rules, firewall, sysctls, h.listeners(),
                h.problems(), tunnels, firewallConfig, h.managed()).withNdpProxies(proxies);
    }

    private static int indexOfTunnel(List<TunnelConfig> tunnels, String device, Class<?> kind) {
        for (int i = 0; i < tunnels.size(); i++)
            if (kind.isInstance(tunnels.get(i)) && tunnels.get(i).device().equals(device)) return i;
        if (kind == WireGuardConfig.class) throw new CannotApply(roundtrip.model.Message.of(Sentences.NO_WIREGUARD_ON_DEVICE, device));
        if (kind == OpenVpnConfig.class) throw new CannotApply(roundtrip.model.Message.of(Sentences.NO_OPENVPN_ON_DEVICE, device));
        throw new CannotApply(roundtrip.model.Message.of(Sentences.NO_TUNNEL_ON_DEVICE, kind.getSimpleName(), device));
    }

    /**
     * The nftables ruleset holding the table iptables-nft keeps for an iptables rule or policy change (`table ip6 filter`
     * for `ip6tables -P FORWARD ACCEPT`) when the host has no iptables-save rules of that family to edit; else null.
     */
    private static NftRuleset iptablesNftTable(Host h, Change c) {
        boolean v6;
        String table, chain;
        if (c instanceof Change.IptablesPolicy p) { v6 = p.v6(); table = p.table(); chain = p.chain(); }
        else if (c instanceof Change.IptablesRule r) { v6 = r.v6(); table = r.table(); chain = r.chain(); }
        else return null;
        if (part(v6 ? h.firewall().ip6tablesPart() : h.firewall().iptablesPart()) != null) return null;
        return nftOf(h.firewall()) instanceof NftRuleset nft && nft.tableNames().contains((v6 ? "ip6 " : "ip ") + table)
                && nft.hasChain(v6 ? "ip6" : "ip", table, chain) ? nft : null;
    }

    /** {@code nft} after an iptables rule or policy change, made as iptables-nft makes it in its table there. */
    private static NftRuleset inIptablesNftTable(NftRuleset nft, Change c) {
        try {
            if (c instanceof Change.IptablesPolicy p) return nft.withPolicy(p.v6() ? "ip6" : "ip", p.table(), p.chain(), p.policy());
            Change.IptablesRule r = (Change.IptablesRule) c;
            String rule = IptablesNftCompat.rule(r.spec(), r.v6());
            if (rule == null) throw new CannotApply(roundtrip.model.Message.of(Sentences.IPTABLES_NFT_NOT_TRANSLATED, r.spec()));
            return nft.withRule(r.v6() ? "ip6" : "ip", r.table(), r.chain(), rule, r.insert());
        } catch (IllegalArgumentException e) {
            throw new CannotApply(e.getMessage());
        }
    }

    /** {@code r} with its part {@code old} replaced by {@code edited}, the other parts kept where they were. */
    private static Ruleset replaced(Ruleset r, Ruleset old, Ruleset edited) {
        if (r == old) return edited;
        if (r instanceof Ruleset.Combined both) return Ruleset.combine(replaced(both.first(), old, edited), replaced(both.second(), old, edited));
        return r;
    }

    /** Null for the empty ruleset (a part that is not there). */
    private static Ruleset part(Ruleset r) { return r == null || r == Ruleset.EMPTY ? null : r; }

    /** The nftables part of a firewall, wherever the combination holds it; null when it has none. */
    private static Ruleset nftOf(Ruleset r) {
        if (r instanceof NftRuleset) return r;
        if (r instanceof Ruleset.Combined both) {
            Ruleset in = nftOf(both.second());
            return in != null ? in : nftOf(both.first());
        }
        return null;
    }

    /** The ip6tables-save text to edit; nothing when the host has no ip6tables rules yet. */
    private static String currentText6(Host h) {
        Ruleset six = h.firewall().ip6tablesPart();
        if (six instanceof IptablesRuleset rs) return rs.text();
        return "";
    }

    /** The text to edit: the iptables-save text the host's rules were read from; nothing when it has no iptables rules. */
    private static String currentText(Host h) {
        String text = iptablesText(h);
        if (text != null) return text;
        if (h.firewall() instanceof NftRuleset) return "";   // no iptables rules yet
        throw new CannotApply(roundtrip.model.Message.of(Sentences.FIREWALL_NOT_IPTABLES, h.name()));
    }

    private static Route withSource(Route r, Change c) {
        return new Route(r.table(), r.type(), r.dst(), r.gateway(), r.dev(), r.prefSrc(), r.metric(), r.scope(), r.tos(),
                r.onlink(), new Source("(fix)", 0, c.command()));
    }

    /** fib_default_rule_pref: one below the priority of the second rule (the first after `0: from all lookup local`). */
    static int defaultPriority(List<Rule> rules) {
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(java.util.Comparator.comparingInt(Rule::priority));
        return sorted.size() >= 2 && sorted.get(1).priority() > 0 ? sorted.get(1).priority() - 1 : 0;
    }

    static List<Rule> kernelDefaultRules(Ip.Family family) {
        return Rule.kernelDefaults(family, new Source("(kernel default)", 0, ""));
    }

    /** A table number no route and no rule of the host uses, from 100 up. */
    public static int freeTable(Host h) {
        for (int t = 100; ; t++) {
            final int table = t;
            if (h.routes().stream().noneMatch(r -> r.table() == table) && h.rules().stream().noneMatch(r -> r.table() == table)) return t;
        }
    }

    /** A mark bit no policy rule of the host matches, from 0x1 up. */
    /** The lowest single-bit mark neither the host's rules nor its iptables rules use. */
    public static long freeMark(Host h) {
        String iptablesText = iptablesText(h);
        for (long m = 1; m != 0; m <<= 1) {
            final long mark = m;
            boolean used = h.rules().stream().anyMatch(r -> r.fwmark() != null && (r.fwmark() & mark) != 0)
                    || iptablesText != null && iptablesText.matches("(?s).*\\b0x0*" + Long.toHexString(mark) + "\\b.*");
            if (!used) return m;
        }
        return 1;
    }

    static Prefix host32(Ip addr) { return Prefix.host(addr); }
}
