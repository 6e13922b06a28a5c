package roundtrip.importer;

import roundtrip.model.Address;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Source;
import roundtrip.model.Text;
import roundtrip.model.WireGuardConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What `wg-quick up` does with a wg-quick file (wireguard-tools src/wg-quick/linux.bash, cmd_up), done to a host
 * described by hand: add_if (the interface, when the host does not declare it), PreUp hooks, the addresses
 * (add_addr), the MTU (set_mtu_up: the MTU given, else the smallest MTU of the ways to the endpoints, else of the
 * default route's device, else 1500, less 80), DNS (resolvconf: noted, not simulated), a route per AllowedIPs
 * prefix, longest first (add_route: none with Table = off; "table N" with Table = N; in main only when no route
 * of main through the interface covers it yet; a /0 by add_default: a fwmark (FwMark, else 51820 or the first
 * free table after it) set on the interface, `ip rule add not fwmark T table T`, `ip rule add table main
 * suppress_prefixlength 0`, the route in table T, src_valid_mark for IPv4, and wg-quick's nftables table), then
 * PostUp hooks. Hook commands that change what is simulated (ip route/rule/address add, iptables, sysctl, nft)
 * are run against the host; others are reported and skipped. PreDown and PostDown run at `wg-quick down`: they
 * are not part of the state while the interface is up.
 */
public final class WgQuickUp {
    /** wg-quick's first table for a default route (add_default). */
    public static final int DEFAULT_TABLE = 51820;

    /** An iptables command of a hook, to be run against the host's iptables rules (see {@link #applyIptables}). */
    public record IptablesCommand(List<String> args, Source source) {}

    /** What the host gets besides what was added to the builder: the interface's configuration and its firewall. */
    public record Result(WireGuardConfig config, List<IptablesCommand> iptables, List<IptablesCommand> ip6tables, List<NftLine> nft,
                         Map<String, Source> sysctls, Map<String, String> sysctlValues) {}

    /** One nft script line, attributed to its source. */
    public record NftLine(String text, Source source) {}

    private final HostBuilder b;
    private final WireGuardReader.Quick q;
    private final Map<String, Integer> tables;
    private final String dev;
    private WireGuardConfig config;
    private final List<IptablesCommand> iptables = new ArrayList<>();
    /** the hooks' ip6tables commands, run against the host's ip6tables rules (wg-easy's NAT66 for its ULA pool) */
    private final List<IptablesCommand> ip6tables = new ArrayList<>();
    private final List<NftLine> nft = new ArrayList<>();
    private final Map<String, Source> sysctls = new java.util.LinkedHashMap<>();
    private final Map<String, String> sysctlValues = new java.util.LinkedHashMap<>();

    private WgQuickUp(HostBuilder b, WireGuardConfig config, WireGuardReader.Quick q, Map<String, Integer> tables) {
        this.b = b;
        this.config = config;
        this.q = q;
        this.tables = tables;
        this.dev = config.device();
    }

    /** Brings the interface up as wg-quick does; the builder gets its interface, addresses, routes and rules. */
    public static Result up(HostBuilder b, WireGuardConfig config, WireGuardReader.Quick q, Map<String, Integer> tables) {
        WgQuickUp up = new WgQuickUp(b, config, q, tables);
        up.run();
        return new Result(up.config, up.iptables, up.ip6tables, up.nft, up.sysctls, up.sysctlValues);
    }

    private Source at(Source s, String text) { return new Source(s.file(), s.line(), text); }

    private void run() {
        Source iface = config.source();
        // add_if: `ip link add dev wg0 type wireguard`; a host file may already declare it (with its addresses)
        boolean created = !b.hasInterface(dev);
        if (created) b.addInterface(dev, "wireguard", null, true, 1420, at(iface, "ip link add dev " + dev + " type wireguard (wg-quick)"));
        for (WireGuardReader.Setting h : q.preUp()) hook(h);
        for (WireGuardReader.Setting a : q.addresses()) address(a);
        mtu(created);
        for (WireGuardReader.Setting d : q.dns())
            b.problems().add(new Problem(d.source(), Message.of(Sentences.WG_QUICK_DNS, d.value())));
        if (q.saveConfig() != null && !q.saveConfig().value().equals("true") && !q.saveConfig().value().equals("false"))
            throw new InputException(q.saveConfig().source().file(), q.saveConfig().source().line(),
                    Message.of(Sentences.WG_QUICK_SAVECONFIG, q.saveConfig().value()));
        routes();
        for (WireGuardReader.Setting h : q.postUp()) hook(h);
    }

    /** add_addr: `ip address add A dev wg0` (a bare address is a /32 or /128); one the host file declares is not added twice. */
    private void address(WireGuardReader.Setting a) {
        String text = a.value();
        Prefix p;
        Ip local;
        try {
            p = Prefix.parse(text, Ip.familyOf(text));
            local = Ip.parse(text.contains("/") ? text.substring(0, text.indexOf('/')) : text);
        } catch (IllegalArgumentException e) {
            throw new InputException(a.source().file(), a.source().line(), Message.of(Sentences.ADDRESS_NOT_AN_ADDRESS, text));
        }
        for (Address have : b.addresses(dev))
            if (have.local().equals(local) && have.prefixLen() == p.len()) return;
        b.addAddress(dev, text, at(a.source(), "ip address add " + text + " dev " + dev + " (wg-quick)"));
    }

    /** set_mtu_up. */
    private void mtu(boolean created) {
        if (q.mtu() != null) {
            int m;
            try { m = Integer.parseInt(q.mtu().value()); } catch (NumberFormatException e) {
                throw new InputException(q.mtu().source().file(), q.mtu().source().line(), Message.of(Sentences.MTU_NOT_A_NUMBER, q.mtu().value()));
            }
            if (m < 68 || m > 65535) throw new InputException(q.mtu().source().file(), q.mtu().source().line(), Message.of(Sentences.MTU_OUT_OF_RANGE, m));
            b.setMtu(dev, m);
            return;
        }
        if (!created) return;   // the host file says what the interface is; its MTU is the one declared there
        int mtu = Integer.MAX_VALUE;
        for (WireGuardConfig.Peer p : config.peers()) {
            if (p.endpointAddr() == null) continue;
            String out = deviceTowards(p.endpointAddr());
            if (out != null && b.mtu(out) > 0) mtu = Math.min(mtu, b.mtu(out));
        }
        if (mtu == Integer.MAX_VALUE) {
            String out = deviceTowards(Ip.V4_ANY);
            if (out != null && b.mtu(out) > 0) mtu = b.mtu(out);
        }
        if (mtu <= 0 || mtu == Integer.MAX_VALUE) mtu = 1500;
        b.setMtu(dev, mtu - 80);
    }

    /**
     * The device `ip route get` would name for {@code dst}, from table main as written so far: the longest prefix
     * among the routes and the addresses' subnets; a gateway route's device is the one whose subnet holds the gateway.
     */
    private String deviceTowards(Ip dst) {
        String best = null;
        int bestLen = -1;
        for (IpCommandSyntax.RouteSpec r : b.routeSpecs()) {
            if (r.tableOrDefault() != Route.TABLE_MAIN || r.family() != dst.family() || !r.dst().contains(dst)) continue;
            if (r.dst().len() <= bestLen) continue;
            String d = r.dev() != null ? r.dev() : r.gateway() != null ? connected(r.gateway()) : null;
            if (d != null) { best = d; bestLen = r.dst().len(); }
        }
        for (String name : b.interfaceNames())
            for (Address a : b.addresses(name))
                if (a.family() == dst.family() && a.subnet().contains(dst) && a.prefixLen() > bestLen) { best = name; bestLen = a.prefixLen(); }
        return best;
    }

    private String connected(Ip gw) {
        for (String name : b.interfaceNames())
            for (Address a : b.addresses(name)) if (a.family() == gw.family() && a.subnet().contains(gw)) return name;
        return null;
    }

    /** The AllowedIPs of every peer, longest prefix first (`wg show allowed-ips | sort -nr -k 2 -t /`). */
    private void routes() {
        record Allowed(Prefix p, Source s) {}
        List<Allowed> all = new ArrayList<>();
        for (WireGuardConfig.Peer p : config.peers())
            for (Prefix a : p.allowedIps()) all.add(new Allowed(a, p.allowedIpsSource()));
        all.sort((a, b) -> Integer.compare(b.p().len(), a.p().len()));   // longest first; not comparingInt: see Fib's route order
        for (Allowed a : all) addRoute(a.p(), a.s());
    }

    /** add_route. */
    private void addRoute(Prefix p, Source s) {
        if (q.tableOff()) return;
        String six = p.family() == Ip.Family.IPV6 ? "-6 " : "";
        if (!q.tableAuto()) {
            route("ip " + six + "route add " + p + " dev " + dev + " table " + q.table().value(), s);
        } else if (p.len() == 0) {
            addDefault(p, s);
        } else if (!coveredInMain(p)) {
            // `ip route show dev wg0 match P` is empty: no route of main through wg0 covers P yet
            route("ip " + six + "route add " + p + " dev " + dev, s);
        }
    }

    /** Routes of table main through the interface that hold the prefix: written ones and those of its addresses. */
    private boolean coveredInMain(Prefix p) {
        for (IpCommandSyntax.RouteSpec r : b.routeSpecs())
            if (dev.equals(r.dev()) && r.tableOrDefault() == Route.TABLE_MAIN && r.family() == p.family() && r.dst().contains(p)) return true;
        for (Address a : b.addresses(dev))
            if (a.family() == p.family() && a.subnet().contains(p) && !(a.family() == Ip.Family.IPV6 && a.prefixLen() == 128)) return true;
        return false;
    }

    /** add_default: wg-quick's policy routing for a default route through the tunnel. */
    private void addDefault(Prefix p, Source s) {
        long table = table(config.fwmark(), this::tableHasRoutes);
        if (config.fwmark() == 0) config = config.withFwmark(table);   // `wg set wg0 fwmark T`
        String six = p.family() == Ip.Family.IPV6 ? "-6 " : "";
        rule("ip " + six + "rule add not fwmark " + table + " table " + table, s);
        rule("ip " + six + "rule add table main suppress_prefixlength 0", s);
        route("ip " + six + "route add " + p + " dev " + dev + " table " + table, s);
        // the nftables table (when nft is installed, as on current distributions; else the same as iptables rules)
        List<Ip> addresses = new ArrayList<>();
        for (Address a : b.addresses(dev)) if (a.family() == p.family()) addresses.add(a.local());
        for (String line : defaultNft(dev, p.family(), table, addresses)) nft(line, s);
        if (p.family() == Ip.Family.IPV4) {
            sysctls.put("net.ipv4.conf.all.src_valid_mark", at(s, "sysctl -q net.ipv4.conf.all.src_valid_mark=1 (wg-quick)"));
            sysctlValues.put("net.ipv4.conf.all.src_valid_mark", "1");
        }
    }

    /** get_fwmark / add_default's table: FwMark names it, else the first table from 51820 that has no routes. */
    public static long table(long fwmark, java.util.function.LongPredicate tableHasRoutes) {
        if (fwmark != 0) return fwmark;
        long table = DEFAULT_TABLE;
        while (tableHasRoutes.test(table)) table++;
        return table;
    }

    /**
     * add_default's nftables table, as nft script lines (the same as iptables rules where nft is missing): raw drops
     * what is sent to the tunnel's own addresses from elsewhere than the tunnel; the UDP connection's mark is saved
     * and restored, so the answers to the tunnel's datagrams pass rp_filter with src_valid_mark.
     */
    public static List<String> defaultNft(String dev, Ip.Family family, long table, List<Ip> tunnelAddresses) {
        String pf = family == Ip.Family.IPV6 ? "ip6" : "ip";
        String t = pf + " wg-quick-" + dev;
        List<String> out = new ArrayList<>(List.of("add table " + t,
                "add chain " + t + " preraw { type filter hook prerouting priority -300; }",
                "add chain " + t + " premangle { type filter hook prerouting priority -150; }",
                "add chain " + t + " postmangle { type filter hook postrouting priority -150; }"));
        for (Ip a : tunnelAddresses)
            out.add("add rule " + t + " preraw iifname != \"" + dev + "\" " + pf + " daddr " + a + " fib saddr type != local drop");
        out.add("add rule " + t + " postmangle meta l4proto udp mark " + table + " ct mark set mark");
        out.add("add rule " + t + " premangle meta l4proto udp meta mark set ct mark");
        return out;
    }

    private boolean tableHasRoutes(long table) {
        for (IpCommandSyntax.RouteSpec r : b.routeSpecs()) if (r.tableOrDefault() == table) return true;
        return false;
    }

    private void route(String command, Source s) {
        b.addRoute(IpCommandSyntax.route(command, at(s, command + " (wg-quick)"), tables));
    }

    private void rule(String command, Source s) {
        b.addRule(IpCommandSyntax.rule(command, at(s, command + " (wg-quick)"), tables));
    }

    private void nft(String line, Source s) { nft.add(new NftLine(line, at(s, "nft " + line + " (wg-quick)"))); }

    // ------------------------------------------------------------------------------------------------ hooks

    /** execute_hooks: %i is the interface; bash runs the text. Each command of it is run here or reported. */
    private void hook(WireGuardReader.Setting h) {
        String text = h.value().replace("%i", dev);
        for (List<String> cmd : ShellWords.commands(text)) command(cmd, h.source());
    }

    private void command(List<String> w, Source s) {
        if (w.isEmpty()) return;
        String program = w.get(0);
        program = program.substring(program.lastIndexOf('/') + 1);
        String line = String.join(" ", w);
        Source here = at(s, line);
        switch (program) {
            case "iptables", "iptables-nft", "iptables-legacy" -> iptables.add(new IptablesCommand(w.subList(1, w.size()), here));
            case "ip6tables", "ip6tables-nft", "ip6tables-legacy" -> ip6tables.add(new IptablesCommand(w.subList(1, w.size()), here));
            case "ip" -> ip(w, here);
            case "sysctl" -> sysctl(w, here);
            case "nft" -> nftCommand(w, here);
            default -> b.problems().add(new Problem(here, Message.of(Sentences.HOOK_NOT_RUN, program)));
        }
    }

    private void ip(List<String> w, Source here) {
        int i = 1;
        String family = "";
        while (i < w.size() && w.get(i).startsWith("-")) {
            if (w.get(i).equals("-4") || w.get(i).equals("-6")) family = w.get(i) + " ";
            i++;
        }
        String object = i < w.size() ? w.get(i) : "";
        String verb = i + 1 < w.size() ? w.get(i + 1) : "";
        String rest = String.join(" ", w.subList(Math.min(w.size(), i + 2), w.size()));
        boolean add = verb.equals("add") || verb.equals("a") || verb.equals("append") || verb.equals("replace");
        if (add && ("route".startsWith(object) && object.length() >= 1 && !object.startsWith("ru"))) {
            b.addRoute(IpCommandSyntax.route(family + rest, here, tables));
        } else if (add && object.length() >= 2 && "rule".startsWith(object)) {
            b.addRule(IpCommandSyntax.rule(family + rest, here, tables));
        } else if (add && object.length() >= 1 && "address".startsWith(object)) {
            List<String> a = w.subList(Math.min(w.size(), i + 2), w.size());
            int devAt = a.indexOf("dev");
            if (a.isEmpty() || devAt < 0 || devAt + 1 >= a.size()) {
                b.problems().add(new Problem(here, Message.of(Sentences.HOOK_IP_ADDRESS_INCOMPLETE)));
                return;
            }
            b.addAddress(a.get(devAt + 1), a.get(0), here);
        } else {
            b.problems().add(new Problem(here, Message.of(Sentences.HOOK_IP_NOT_RUN, object, verb)));
        }
    }

    /** sysctl [-w] [-q] KEY=VALUE ... */
    private void sysctl(List<String> w, Source here) {
        boolean any = false;
        for (String a : w.subList(1, w.size())) {
            if (a.startsWith("-")) {
                if (a.equals("-p") || a.equals("--system") || a.equals("--load")) {
                    b.problems().add(new Problem(here, Message.of(Sentences.HOOK_SYSCTL_READS_FILES, a)));
                    return;
                }
                continue;
            }
            int eq = a.indexOf('=');
            if (eq < 0) continue;   // reading a value changes nothing
            String key = a.substring(0, eq).replace('/', '.');
            if (!key.startsWith("net.")) continue;
            sysctls.put(key, here);
            sysctlValues.put(key, a.substring(eq + 1));
            any = true;
        }
        if (!any && w.stream().skip(1).anyMatch(x -> x.contains("=")))
            b.problems().add(new Problem(here, Message.of(Sentences.HOOK_SYSCTL_NOT_NETWORK)));
    }

    /** nft COMMAND (an nft script line: add table/chain/rule, insert rule, ...); `nft -f FILE` cannot be read. */
    private void nftCommand(List<String> w, Source here) {
        List<String> args = new ArrayList<>();
        for (int i = 1; i < w.size(); i++) {
            String a = w.get(i);
            if (a.equals("-f") || a.equals("--file") || a.equals("-i")) {
                b.problems().add(new Problem(here, Message.of(Sentences.HOOK_NFT_FILE, a)));
                return;
            }
            if (args.isEmpty() && a.startsWith("-")) continue;   // -a, -e, -c ...
            args.add(a.contains(" ") ? "\"" + a + "\"" : a);
        }
        if (!args.isEmpty()) nft.add(new NftLine(String.join(" ", args), here));
    }

    // ------------------------------------------------------------------------------------------------ iptables

    /**
     * Runs the hooks' iptables commands on {@code rules} as iptables would on the live ruleset: -A, -I, -D, -N, -P
     * (with -t). A rule to append that the text already has is taken as being there already (iptables-save output
     * pasted while the interface was up holds the PostUp rules): it is not added twice.
     */
    public static void applyIptables(IptablesText rules, List<IptablesCommand> commands, List<Problem> problems) {
        for (IptablesCommand c : commands) {
            String table = "filter", op = null, chain = null, arg = null;
            List<String> rest = new ArrayList<>();
            List<String> a = c.args();
            for (int i = 0; i < a.size(); i++) {
                String w = a.get(i);
                switch (w) {
                    case "-t", "--table" -> table = i + 1 < a.size() ? a.get(++i) : table;
                    case "-w", "--wait" -> { if (i + 1 < a.size() && Text.isAsciiDigits(a.get(i + 1))) i++; }
                    case "-A", "--append", "-I", "--insert", "-D", "--delete", "-N", "--new-chain", "-P", "--policy" -> {
                        op = w.startsWith("--") ? switch (w) {
                            case "--append" -> "-A";
                            case "--insert" -> "-I";
                            case "--delete" -> "-D";
                            case "--new-chain" -> "-N";
                            default -> "-P";
                        } : w;
                        chain = i + 1 < a.size() ? a.get(++i) : null;
                        if ((op.equals("-I") || op.equals("-P")) && i + 1 < a.size() && (op.equals("-P") || Text.isAsciiDigits(a.get(i + 1)))) arg = a.get(++i);
                    }
                    default -> rest.add(w.contains(" ") || w.isEmpty() ? "\"" + w + "\"" : w);
                }
            }
            Source s = c.source();
            if (op == null || chain == null) {
                problems.add(new Problem(s, Message.of(Sentences.HOOK_IPTABLES_NOT_RUN, s.text())));
                continue;
            }
            String spec = String.join(" ", rest);
            try {
                switch (op) {
                    case "-A" -> {
                        if (!rules.hasRule(table, chain, spec)) rules.append(table, chain, spec, s.line());
                    }
                    case "-I" -> {
                        if (!rules.hasRule(table, chain, spec)) rules.insert(table, chain, arg == null ? 1 : Integer.parseInt(arg), spec, s.line());
                    }
                    case "-D" -> {
                        if (!rules.delete(table, chain, spec))
                            problems.add(new Problem(s, Message.of(Sentences.HOOK_IPTABLES_NO_SUCH_RULE, table, chain)));
                    }
                    case "-N" -> rules.chain(table, chain);
                    default -> rules.policy(table, chain, arg, s.line());
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(s, Message.of(Sentences.HOOK_IPTABLES_FAILED, Message.text(e.getMessage()))));
            }
        }
    }
}
