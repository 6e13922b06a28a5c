package roundtrip.fix;

import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.Source;
import roundtrip.model.Text;

import java.util.List;

/**
 * One configuration change on one host: a route, a policy rule, an iptables rule or policy, a sysctl. Each
 * renders to the command an admin would paste and says where to put it so it survives a reboot.
 */
public sealed interface Change {
    String host();

    /** The shell command, in the host's own syntax. */
    String command();

    /** Where the change must also go to survive a reboot. */
    Message persistence(Dialect dialect);

    /** The same, said once for all changes of a kind on one host (for listing several commands together). */
    default Message persistenceSummary(Dialect dialect) {
        boolean ipCommand = this instanceof AddRoute || this instanceof ReplaceRoute || this instanceof AddRule;
        if (ipCommand && dialect == Dialect.LINUX) return Message.of(Sentences.PERSIST_IP_COMMANDS);
        return persistence(dialect);
    }

    /** `ip route add ROUTE` */
    record AddRoute(String host, Route route) implements Change {
        @Override public String command() { return ipRoute(route) + " add " + route.text(); }
        @Override public Message persistence(Dialect d) { return routePersistence(d, route, command()); }
    }

    /**
     * `ip -6 route replace ROUTE proto ra expires N`: the route a router advertisement installs (rt6_add_dflt_router),
     * added by hand so IPv6 works at once; the next advertisement the device takes refreshes it, so nothing needs to keep
     * it. `replace`, not `add`: once accept_ra allows it, an advertisement may install the very route before this
     * command runs, and `add` then fails with "File exists" (seen in RouterAdvertisementLabTest on the real kernel).
     */
    record RaRoute(String host, Route route, int lifetime) implements Change {
        @Override public String command() { return ipRoute(route) + " replace " + route.text() + " proto ra expires " + lifetime; }
        @Override public Message persistence(Dialect d) { return Message.of(Sentences.PERSIST_RA_ROUTE, route.dev()); }
    }

    /** `ip route replace ROUTE`: the same destination with other attributes (gateway, src hint). */
    record ReplaceRoute(String host, Route old, Route route) implements Change {
        @Override public String command() { return ipRoute(route) + " replace " + route.text(); }
        @Override public Message persistence(Dialect d) {
            return Message.of(Sentences.PERSIST_THEN_REPLACE, routePersistence(d, route, command()), old.text());
        }
    }

    /**
     * `ip route del ROUTE`: removes a route (a blackhole, unreachable or prohibit route on the path). {@code where} is the
     * file:line it was read from, so the configuration that adds it at boot can be found.
     */
    record DelRoute(String host, Route route) implements Change {
        @Override public String command() { return ipRoute(route) + " del " + route.text(); }
        @Override public Message persistence(Dialect d) {
            String from = route.source() == null || route.source() == Source.NONE ? null : route.source().where();
            if (d == Dialect.OPENWRT)
                return from == null ? Message.of(Sentences.PERSIST_DEL_ROUTE_UCI, route.text())
                        : Message.of(Sentences.PERSIST_DEL_ROUTE_UCI_FROM, route.text(), from);
            return from == null ? Message.of(Sentences.PERSIST_DEL_ROUTE, route.text())
                    : Message.of(Sentences.PERSIST_DEL_ROUTE_FROM, route.text(), from);
        }
    }

    /**
     * `ip rule del SELECTOR priority N`: removes one policy rule, named by its selector and priority as `ip rule` prints
     * them (fib_nl_delrule matches the attributes given). Its source is where it was read, so what adds it at boot can be found.
     */
    record DelRule(String host, roundtrip.model.Rule rule) implements Change {
        public String selector() {
            String t = rule.text();
            int tab = t.indexOf(":\t");
            return (tab >= 0 ? t.substring(tab + 2) : t) + " priority " + rule.priority();
        }
        @Override public String command() { return (rule.family() == roundtrip.model.Ip.Family.IPV6 ? "ip -6 rule del " : "ip rule del ") + selector(); }
        @Override public Message persistence(Dialect d) {
            String from = rule.source() == null || rule.source() == Source.NONE ? null : rule.source().where();
            if (d == Dialect.OPENWRT)
                return from == null ? Message.of(Sentences.PERSIST_DEL_RULE_UCI, selector())
                        : Message.of(Sentences.PERSIST_DEL_RULE_UCI_FROM, selector(), from);
            return from == null ? Message.of(Sentences.PERSIST_DEL_RULE, selector())
                    : Message.of(Sentences.PERSIST_DEL_RULE_FROM, selector(), from);
        }
    }

    /**
     * `ip rule add [not] [from P] [to P] [fwmark M] lookup T [suppress_prefixlength N]`, priority chosen by the kernel
     * (fib_default_rule_pref: one below the first rule after priority 0). {@code suppressPrefixLength} -1 = none.
     */
    record AddRule(String host, boolean not, Prefix from, Prefix to, Long fwmark, int table, int suppressPrefixLength) implements Change {
        public AddRule(String host, Prefix from, Prefix to, Long fwmark, int table) { this(host, false, from, to, fwmark, table, -1); }

        public String selector() {
            StringBuilder sb = new StringBuilder();
            if (not) sb.append("not ");
            if (from != null) sb.append("from ").append(from).append(' ');
            if (to != null) sb.append("to ").append(to).append(' ');
            if (fwmark != null) sb.append("fwmark 0x").append(Long.toHexString(fwmark)).append(' ');
            sb.append("lookup ").append(Route.tableName(table));
            if (suppressPrefixLength >= 0) sb.append(" suppress_prefixlength ").append(suppressPrefixLength);
            return sb.toString();
        }
        @Override public String command() { return (v6() ? "ip -6 rule add " : "ip rule add ") + selector(); }

        /** An IPv6 rule: its selector names IPv6 prefixes. */
        public boolean v6() {
            return from != null && from.family() == roundtrip.model.Ip.Family.IPV6 || to != null && to.family() == roundtrip.model.Ip.Family.IPV6;
        }

        @Override public Message persistence(Dialect d) {
            if (d == Dialect.OPENWRT)
                return Message.of(Sentences.PERSIST_RULE_UCI, v6() ? "rule6" : "rule", (not ? "option invert '1', " : "") + (from != null ? "option src '" + from + "', " : "")
                        + (to != null ? "option dest '" + to + "', " : "") + (fwmark != null ? "option mark '0x" + Long.toHexString(fwmark) + "', " : "")
                        + (suppressPrefixLength >= 0 ? "option suppress_prefixlength '" + suppressPrefixLength + "', " : "")
                        + "option lookup '" + table + "'");
            return Message.of(Sentences.PERSIST_RULE_IFACE, command());
        }
    }

    /** `iptables [-t TABLE] -A|-I CHAIN SPEC`, or ip6tables when {@code v6} (the rule is for IPv6 packets). */
    record IptablesRule(String host, String table, String chain, boolean insert, String spec, boolean v6) implements Change {
        public IptablesRule(String host, String table, String chain, boolean insert, String spec) { this(host, table, chain, insert, spec, false); }
        public String line() { return (insert ? "-I " : "-A ") + chain + " " + spec; }
        @Override public String command() { return program(v6) + (table.equals("filter") ? "" : "-t " + table + " ") + line(); }
        @Override public Message persistence(Dialect d) {
            if (chain.equals("DOCKER-USER")) return Message.of(Sentences.PERSIST_DOCKER_USER);
            if (d == Dialect.UFW) {
                String file = "/etc/ufw/before" + (v6 ? "6" : "") + ".rules";
                return table.equals("filter") ? Message.of(Sentences.PERSIST_UFW_LINE, file, line())
                        : Message.of(Sentences.PERSIST_UFW_LINE_TABLE, file, line(), table, chain);
            }
            if (d == Dialect.FIREWALLD)
                return Message.of(Sentences.PERSIST_FIREWALLD_DIRECT, (v6 ? "ipv6 " : "ipv4 ") + table + " " + chain + " 0 " + spec);
            return iptablesPersistence(d, v6);
        }
    }

    /** `iptables [-t TABLE] -D CHAIN SPEC`: deletes the rule that iptables-save printed as {@code line} ("-A CHAIN SPEC"). */
    record IptablesDelete(String host, String table, String line, boolean v6) implements Change {
        public IptablesDelete(String host, String table, String line) { this(host, table, line, false); }
        @Override public String command() {
            return program(v6) + (table.equals("filter") ? "" : "-t " + table + " ") + "-D" + line.strip().substring(2);
        }
        @Override public Message persistence(Dialect d) { return iptablesPersistence(d, v6); }
    }

    /** `iptables [-t TABLE] -P CHAIN POLICY` */
    record IptablesPolicy(String host, String table, String chain, String policy, boolean v6) implements Change {
        public IptablesPolicy(String host, String table, String chain, String policy) { this(host, table, chain, policy, false); }
        @Override public String command() { return program(v6) + (table.equals("filter") ? "" : "-t " + table + " ") + "-P " + chain + " " + policy; }
        @Override public Message persistence(Dialect d) {
            if (d == Dialect.OPENWRT) return Message.of(Sentences.PERSIST_POLICY_UCI, policy);
            return iptablesPersistence(d, v6);
        }
    }

    /** "iptables ", or "ip6tables " for a change to the IPv6 rules (ip6tables-save's). */
    private static String program(boolean v6) { return v6 ? "ip6tables " : "iptables "; }

    /**
     * The same change for IPv6 packets: the iptables changes become ip6tables ones (the rules that saw the packet are
     * ip6tables-save's); every other change stays as it is.
     */
    static Change forIpv6(Change c) {
        if (c instanceof IptablesRule r) return new IptablesRule(r.host(), r.table(), r.chain(), r.insert(), r.spec(), true);
        if (c instanceof IptablesDelete d) return new IptablesDelete(d.host(), d.table(), d.line(), true);
        if (c instanceof IptablesPolicy p) return new IptablesPolicy(p.host(), p.table(), p.chain(), p.policy(), true);
        return c;
    }

    /** `sysctl -w KEY=VALUE` */
    /**
     * `ip -6 neigh add proxy ADDR dev DEV`: the host answers neighbour solicitations for ADDR on DEV (with proxy_ndp on
     * and DEV forwarding; ndisc_recv_ns, pneigh_lookup).
     */
    record AddNdpProxy(String host, roundtrip.model.Ip address, String dev) implements Change {
        @Override public String command() { return "ip -6 neigh add proxy " + address + " dev " + dev; }
        @Override public Message persistence(Dialect d) {
            if (d == Dialect.OPENWRT) return Message.of(Sentences.PERSIST_NDP_PROXY_UCI);
            return Message.of(Sentences.PERSIST_NDP_PROXY_IFACE, command(), dev);
        }
    }

    record SetSysctl(String host, String key, String value) implements Change {
        @Override public String command() { return "sysctl -w " + key + "=" + value; }
        /** A command, shown as written. */
        @Override public Message persistence(Dialect d) {
            return Message.text("echo '" + key + " = " + value + "' >> /etc/sysctl.d/90-roundtrip.conf");
        }
    }

    /**
     * `wg set DEV peer KEY allowed-ips LIST`: the peer's AllowedIPs with one prefix more (wg set replaces the list,
     * so the command names the old prefixes too). {@code index} is the peer's position in the interface's
     * configuration (for OpenWrt's anonymous wireguard_DEV sections).
     */
    record WireGuardAllowedIps(String host, String device, String peerKey, int index, List<Prefix> old, Prefix add) implements Change {
        public List<Prefix> allowedIps() {
            List<Prefix> all = new java.util.ArrayList<>(old);
            all.add(add);
            return all;
        }
        public String list(String sep) { return String.join(sep, allowedIps().stream().map(Change::cidr).toList()); }
        @Override public String command() { return "wg set " + device + " peer " + peerKey + " allowed-ips " + list(","); }
        @Override public Message persistence(Dialect d) {
            if (d == Dialect.OPENWRT)
                return Message.of(Sentences.PERSIST_WG_ALLOWED_IPS_UCI,
                        "uci add_list network.@wireguard_" + device + "[" + index + "].allowed_ips='" + cidr(add) + "'; uci commit network");
            return Message.of(Sentences.PERSIST_WG_ALLOWED_IPS, device, list(", "), peerKey);
        }
    }

    /** `wg set DEV fwmark MARK`: WireGuard marks its own encrypted datagrams, so policy rules can keep them out of the tunnel. */
    record WireGuardFwmark(String host, String device, long mark) implements Change {
        @Override public String command() { return "wg set " + device + " fwmark " + mark; }
        @Override public Message persistence(Dialect d) { return Message.of(Sentences.PERSIST_WG_FWMARK, device, mark); }
    }

    /** `nft 'COMMAND'`: one command of an nft script (add table, add chain, add rule) run against the running ruleset. */
    record NftCommand(String host, String line) implements Change {
        @Override public String command() { return "nft '" + line + "'"; }
        @Override public Message persistence(Dialect d) { return Message.of(Sentences.PERSIST_NFT_WG_QUICK); }
    }

    /**
     * A road-warrior client made a full tunnel the wg-quick way: the peer's `AllowedIPs` gains 0.0.0.0/0 in the wg-quick
     * file, and `wg-quick down/up` does what wireguard-tools' wg-quick (linux.bash, add_default) does for a /0: the
     * interface's fwmark (FwMark, else the first free table from 51820), `ip rule add not fwmark T table T`, `ip rule add
     * table main suppress_prefixlength 0`, the default route in table T, its nftables table (raw: nothing for the tunnel
     * address from elsewhere; the UDP connection's mark saved and restored, so the answers pass rp_filter with
     * src_valid_mark), and src_valid_mark. The commands it runs are {@link #raw()}; the admin edits the file.
     */
    record WgQuickFullTunnel(String host, String device, String peerKey, List<Prefix> old, long table, boolean setsMark,
                             List<roundtrip.model.Ip> tunnelAddresses) implements ByTool {
        public static final Prefix DEFAULT = Prefix.parse("0.0.0.0/0");

        public String list() {
            List<String> all = new java.util.ArrayList<>(old.stream().map(Change::cidr).toList());
            all.add(cidr(DEFAULT));
            return String.join(", ", all);
        }
        public String file() { return "/etc/wireguard/" + device + ".conf"; }
        @Override public String command() {
            return "sed -i 's/^AllowedIPs *=.*/AllowedIPs = " + sedReplacement(list()) + "/' " + file()
                    + " && wg-quick down " + device + " && wg-quick up " + device;
        }
        @Override public List<Change> raw() {
            List<Change> out = new java.util.ArrayList<>();
            if (setsMark) out.add(new WireGuardFwmark(host, device, table));
            out.add(new WireGuardAllowedIps(host, device, peerKey, 0, old, DEFAULT));
            int t = (int) table;
            out.add(new AddRule(host, true, null, null, table, t, -1));
            out.add(new AddRule(host, false, null, null, null, Route.TABLE_MAIN, 0));
            out.add(new AddRoute(host, new Route(t, roundtrip.model.RouteType.UNICAST, DEFAULT, null, device, null, 0,
                    null, 0, false, Source.NONE)));
            for (String line : roundtrip.importer.WgQuickUp.defaultNft(device, roundtrip.model.Ip.Family.IPV4, table, tunnelAddresses))
                out.add(new NftCommand(host, line));
            out.add(new SetSysctl(host, "net.ipv4.conf.all.src_valid_mark", "1"));
            return out;
        }
        @Override public Message persistence(Dialect d) {
            return Message.of(Sentences.PERSIST_WG_QUICK_FULL_TUNNEL, file(), list(), peerKey, device);
        }
    }

    /**
     * `iroute NET MASK` (an IPv6 network: `iroute-ipv6 NET/BITS`) appended to the client-config-dir file of one client of an OpenVPN server: the server then
     * accepts packets from that network from the client and sends packets for it to the client. The command runs in
     * the server's working directory (its --cd, where {@code config} is); the daemon reads the file when the client
     * connects, so a fix follows it with an {@link OpenVpnSignal} that makes the client reconnect.
     */
    record OpenVpnIroute(String host, String device, String config, String ccdDir, String commonName, Prefix net) implements Change {
        public String line() { return "i" + routeLine(); }
        /** The server configuration's line for the kernel route to the same network (`route`, `route-ipv6`). */
        public String routeLine() { return net.addr().isV6() ? "route-ipv6 " + net : "route " + net.addr() + " " + net.netmask(); }
        public String file() { return (ccdDir == null ? "ccd" : ccdDir) + "/" + commonName; }
        @Override public String command() { return "echo '" + line() + "' >> " + file(); }
        @Override public String openVpnConfig() { return config; }
        @Override public String writes() { return file(); }
        @Override public Message persistence(Dialect d) {
            return config == null ? Message.of(Sentences.PERSIST_OPENVPN_IROUTE_NO_CONFIG, file(), commonName, routeLine())
                    : Message.of(Sentences.PERSIST_OPENVPN_IROUTE, file(), config, commonName, routeLine());
        }
    }

    /**
     * A signal to an OpenVPN daemon, by the pid file its configuration writes ({@code writepid}, relative to its
     * working directory): SIGUSR1 makes it reconnect (a client: the server then reads the client's CCD file again, as
     * it does at every connection), SIGHUP makes it re-read its configuration and reconnect. On the way down OpenVPN
     * removes the routes it added and restores a default route it replaced (route.c delete_routes). {@code config} is
     * the instance's configuration file, {@code why} says what the signal is for.
     */
    record OpenVpnSignal(String host, String device, String config, String pidFile, String signal, Message why) implements Change {
        @Override public String command() {
            if (pidFile != null) return "kill -" + signal + " $(cat " + pidFile + ")";
            return "kill -" + signal + " <pid of the openvpn running " + (config == null ? device : config) + ">";
        }
        /** Without a pid file the daemon's pid must be looked up by hand. */
        @Override public boolean shell() { return pidFile != null; }
        @Override public String openVpnConfig() { return config; }
        @Override public boolean restartsOpenVpn() { return true; }
        @Override public Message persistence(Dialect d) {
            String name = config == null ? "NAME" : config.replaceFirst("\\.conf$", "");
            return Message.of(Sentences.PERSIST_OPENVPN_SIGNAL, why, name + ".conf", signal, "openvpn-client@" + name, "openvpn-server@" + name);
        }
    }

    /**
     * Replaces the {@code redirect-gateway} line of an OpenVPN configuration (a client's own, or a server's
     * {@code push "redirect-gateway ..."}) by {@code line}, in the file {@code file} of the working directory of the
     * instance configured by {@code config}. {@code old} is the line as read (file:line, text). The daemon reads it
     * again on SIGHUP ({@link OpenVpnSignal}); a pushed one reaches a client when it connects again.
     */
    record OpenVpnRedirectGateway(String host, String device, String config, String file, Source old, String line) implements Change {
        public boolean pushed() { return old.text().startsWith("push"); }
        /** The new flags (def1, bypass-dhcp, ...). */
        public java.util.Set<String> flags() {
            List<String> words = List.of(Text.words(line.replace("\"", " ").strip()));
            return new java.util.LinkedHashSet<>(words.subList(words.indexOf("redirect-gateway") + 1, words.size()));
        }
        @Override public String command() {
            return "sed -i 's/^[[:space:]]*" + sedPattern(old.text()) + "[[:space:]]*$/" + sedReplacement(line) + "/' " + file;
        }
        @Override public String openVpnConfig() { return config; }
        @Override public String writes() { return file; }
        @Override public Message persistence(Dialect d) {
            return Message.of(Sentences.PERSIST_OPENVPN_CONFIG_ITSELF, file, old.where(), old.text());
        }
    }

    /**
     * An option of an OpenWrt firewall zone, set with uci and applied by `fw4 reload`, which generates the nft ruleset
     * again from /etc/config/firewall. {@code section} is how uci addresses the zone's section ("@zone[1]", or the
     * section's name) when the input holds /etc/config/firewall; null when only the generated ruleset is known, which
     * names the zone (its chains) but not its place in the file. {@code nftEquivalent}: the nft commands that change
     * the running ruleset as the reload would (empty when not known).
     */
    record UciFirewallZoneOption(String host, String zone, String section, String option, String value,
                                 List<String> nftEquivalent) implements Change {
        public UciFirewallZoneOption {
            nftEquivalent = List.copyOf(nftEquivalent);
        }
        /** "firewall.@zone[1].masq_allow_invalid"; "@zone[N]" when the section is not known. */
        public String key() { return "firewall." + (section == null ? "@zone[N]" : section) + "." + option; }
        @Override public String command() { return "uci set " + key() + "='" + value + "'; uci commit firewall; fw4 reload"; }
        /** Not verbatim without the section: N must be looked up on the router first. */
        @Override public boolean shell() { return section != null; }
        @Override public List<String> equivalent() { return nftEquivalent; }
        @Override public List<Message> notes() {
            List<Message> out = new java.util.ArrayList<>();
            if (section == null)
                out.add(Message.of(Sentences.NOTE_UCI_ZONE_INDEX, zone, "`uci show firewall | grep \"name='" + zone + "'\"`",
                        "firewall.@zone[N].name='" + zone + "'"));
            if (!nftEquivalent.isEmpty())
                out.add(Message.of(Sentences.NOTE_NFT_EQUIVALENT, String.join("; ", nftEquivalent)));
            return out;
        }
        @Override public Message persistence(Dialect d) {
            return Message.of(Sentences.PERSIST_UCI_ZONE_OPTION, option, value, zone);
        }
    }

    /**
     * A change said in the words of the host's firewall tool (ufw, firewalld), which writes its own configuration
     * (it survives a reboot by itself) and changes the running rules as {@link #raw()} does: the simulation applies
     * those, the lab (which has no ufw or firewall-cmd) runs their commands, and the admin sees both.
     */
    sealed interface ByTool extends Change permits UfwRouteAllow, UfwDefaultRouted, FirewalldMasquerade, WgQuickFullTunnel {
        /** The iptables changes the tool makes to the running rules. */
        List<Change> raw();
        @Override default List<String> equivalent() { return raw().stream().map(Change::command).toList(); }
        @Override default List<Message> notes() {
            return List.of(Message.of(Sentences.NOTE_RUNNING_RULES, String.join("; ", equivalent().stream().map(c -> "`" + c + "`").toList())));
        }
    }

    /**
     * `ufw route allow in on IN out on OUT`: ufw appends `-i IN -o OUT -j ACCEPT` to ufw-user-forward, which its
     * ufw-before-forward reaches after accepting RELATED,ESTABLISHED (so the answers need no rule of their own).
     */
    record UfwRouteAllow(String host, String inDev, String outDev) implements ByTool {
        @Override public String command() { return "ufw route allow in on " + inDev + " out on " + outDev; }
        @Override public List<Change> raw() {
            return List.of(new IptablesRule(host, "filter", "ufw-user-forward", false, "-i " + inDev + " -o " + outDev + " -j ACCEPT"));
        }
        @Override public Message persistence(Dialect d) { return Message.of(Sentences.PERSIST_UFW_USER_RULES); }
    }

    /** `ufw default allow routed`: DEFAULT_FORWARD_POLICY="ACCEPT" in /etc/default/ufw, which ufw makes FORWARD's policy. */
    record UfwDefaultRouted(String host) implements ByTool {
        @Override public String command() { return "ufw default allow routed"; }
        @Override public List<Change> raw() { return List.of(new IptablesPolicy(host, "filter", "FORWARD", "ACCEPT")); }
        @Override public Message persistence(Dialect d) { return Message.of(Sentences.PERSIST_UFW_DEFAULT_ROUTED); }
    }

    /**
     * `firewall-cmd --zone=ZONE --add-masquerade` (and `--permanent`): firewalld before 1.0 (its per-zone chains
     * POST_ZONE_allow and FWDO_ZONE_allow, ipXtables.py build_zone_masquerade_rules) masquerades what leaves by the
     * zone's interfaces and accepts new connections forwarded out of the zone; from 1.0 on only the first.
     */
    record FirewalldMasquerade(String host, String zone, boolean forwardsToo, boolean nft) implements ByTool {
        @Override public String command() {
            return "firewall-cmd --zone=" + zone + " --add-masquerade && firewall-cmd --permanent --zone=" + zone + " --add-masquerade";
        }
        @Override public List<Change> raw() {
            List<Change> out = new java.util.ArrayList<>();
            if (nft) {
                // nftables.py (0.8): the nat rule in table ip firewalld, the forward accept in table inet firewalld
                out.add(new NftAddRule(host, "ip", "firewalld", "nat_POST_" + zone + "_allow", "oifname != \"lo\" masquerade"));
                if (forwardsToo) out.add(new NftAddRule(host, "inet", "firewalld", "filter_FWDO_" + zone + "_allow", "ct state { new, untracked } accept"));
                return out;
            }
            out.add(new IptablesRule(host, "nat", "POST_" + zone + "_allow", false, "! -o lo -j MASQUERADE"));
            if (forwardsToo) out.add(new IptablesRule(host, "filter", "FWDO_" + zone + "_allow", false, "-m conntrack --ctstate NEW,UNTRACKED -j ACCEPT"));
            return out;
        }
        @Override public Message persistence(Dialect d) { return Message.of(Sentences.PERSIST_FIREWALLD_PERMANENT, zone); }
    }

    /**
     * An interface (or a device pattern) put into an OpenWrt firewall zone: `uci add_list firewall.ZONE.network='NET'`
     * (or `.device='PATTERN'`), applied by `fw4 reload`. One change that does what the zone does for all its members:
     * its input/forward policies, its forwardings to and from other zones, its masquerading. {@code section} as in
     * {@link UciFirewallZoneOption}.
     */
    record UciFirewallZoneAdd(String host, String zone, String section, String key, String value) implements Change {
        public String uciKey() { return "firewall." + (section == null ? "@zone[N]" : section) + "." + key; }
        @Override public String command() { return "uci add_list " + uciKey() + "='" + value + "'; uci commit firewall; fw4 reload"; }
        @Override public boolean shell() { return section != null; }
        @Override public Message persistence(Dialect d) {
            return Message.of(Sentences.PERSIST_UCI_ZONE_LIST, key, value, zone);
        }
    }

    /** `nft add rule FAMILY TABLE CHAIN RULE`: appended to the chain of the running ruleset. */
    record NftAddRule(String host, String family, String table, String chain, String rule, boolean insert) implements Change {
        public NftAddRule(String host, String family, String table, String chain, String rule) { this(host, family, table, chain, rule, false); }
        @Override public String command() { return "nft " + (insert ? "insert" : "add") + " rule " + family + " " + table + " " + chain + " " + rule; }
        @Override public Message persistence(Dialect d) {
            return Message.of(Sentences.PERSIST_NFT_TABLE_OWNER, family, table);
        }
    }

    /** False for a change that cannot be pasted into a shell verbatim (it needs something looked up by hand). */
    default boolean shell() { return true; }

    /**
     * Shell commands with the same effect on the running system, not persistent, when this change is not a plain
     * command (uci on OpenWrt): what to try before committing, and what a lab without uci can run instead.
     */
    default List<String> equivalent() { return List.of(); }

    /** What the admin must know to run the command (a value to look up first, a live equivalent); printed with it. */
    default List<Message> notes() { return List.of(); }

    /**
     * For a change to an OpenVPN instance (its files or its process): the instance's configuration file, e.g.
     * server.conf; the command runs in the instance's working directory (its --cd, where that file is). Null for
     * changes to the kernel, and when the configuration came from a network file (no file name known).
     */
    default String openVpnConfig() { return null; }

    /** For a change run in an OpenVPN working directory: the file it writes, relative to that directory; else null. */
    default String writes() { return null; }

    /** True when the change restarts or reconnects an OpenVPN daemon (it is up again only after a while). */
    default boolean restartsOpenVpn() { return false; }

    /** A basic regular expression (sed, '/' as delimiter, inside single quotes) matching {@code text} literally. */
    static String sedPattern(String text) { return sedEscaped(text, "\\/.*[^$"); }

    /** A sed replacement ('/' as delimiter, inside single quotes) that inserts {@code text} literally. */
    static String sedReplacement(String text) { return sedEscaped(text, "\\/&"); }

    /** {@code text} with a backslash before each of {@code special}, and each ' closed, escaped and reopened for the shell. */
    private static String sedEscaped(String text, String special) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (special.indexOf(c) >= 0) sb.append('\\');
            if (c == '\'') sb.append("'\\''");
            else sb.append(c);
        }
        return sb.toString();
    }


    /** A prefix as wg prints it: always with its length. */
    static String cidr(Prefix p) { return p.addr() + "/" + p.len(); }

    /** "ip route", or "ip -6 route" for an IPv6 route (clear to the reader, and needed for `default`). */
    private static String ipRoute(Route route) {
        return route.family() == roundtrip.model.Ip.Family.IPV6 ? "ip -6 route" : "ip route";
    }

    private static Message routePersistence(Dialect d, Route route, String command) {
        if (d == Dialect.OPENWRT)
            return Message.of(Sentences.PERSIST_ROUTE_UCI, route.family() == roundtrip.model.Ip.Family.IPV6 ? "route6" : "route",
                    "option target '" + route.dst() + "'"
                    + (route.gateway() != null ? ", option gateway '" + route.gateway() + "'" : "")
                    + (route.table() != Route.TABLE_MAIN ? ", option table '" + Route.tableName(route.table()) + "'" : ""),
                    route.dev());
        return route.table() != Route.TABLE_MAIN ? Message.of(Sentences.PERSIST_ROUTE_IFACE_TABLE, command, route.dev(), route.table())
                : Message.of(Sentences.PERSIST_ROUTE_IFACE, command, route.dev());
    }

    private static Message iptablesPersistence(Dialect d, boolean v6) {
        if (d == Dialect.OPENWRT) return Message.of(Sentences.PERSIST_IPTABLES_FW3);
        if (d == Dialect.UFW) return Message.of(v6 ? Sentences.PERSIST_IP6TABLES_UFW : Sentences.PERSIST_IPTABLES_UFW);
        if (d == Dialect.FIREWALLD) return Message.of(Sentences.PERSIST_IPTABLES_FIREWALLD);
        return Message.of(Sentences.PERSIST_IPTABLES_SAVE, v6 ? "ip6tables-save > /etc/iptables/rules.v6" : "iptables-save > /etc/iptables/rules.v4");
    }
}
