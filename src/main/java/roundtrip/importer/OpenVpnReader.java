package roundtrip.importer;

import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.OpenVpnConfig.Ccd;
import roundtrip.model.OpenVpnConfig.IfconfigPush;
import roundtrip.model.OpenVpnConfig.Iroute;
import roundtrip.model.OpenVpnConfig.Mode;
import roundtrip.model.OpenVpnConfig.Option;
import roundtrip.model.OpenVpnConfig.Redirect;
import roundtrip.model.OpenVpnConfig.Remote;
import roundtrip.model.OpenVpnConfig.RouteOption;
import roundtrip.model.OpenVpnConfig.StatusClient;
import roundtrip.model.OpenVpnConfig.StatusLog;
import roundtrip.model.OpenVpnConfig.StatusRoute;
import roundtrip.model.OpenVpnConfig.Topology;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.model.Text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads OpenVPN config files, CCD files and status files the way OpenVPN does (options.c parse_line, helper.c,
 * multi.c multi_print_status): one directive per line, '#' or ';' starting a comment where a word could start,
 * double or single quotes grouping words, backslash escapes, an optional leading "--", inline blocks such as
 * {@code <ca>...</ca>} skipped (their contents are never stored). Directives that could change routing and are
 * not modelled are reported as Problems; those that cannot (keys, ciphers, keepalive, logging) are accepted silently.
 */
public final class OpenVpnReader {
    private OpenVpnReader() {}

    public static final int DEFAULT_PORT = 1194;

    /** Directives with no effect on where packets go. */
    private static final Set<String> HARMLESS = Set.of(
            "ca", "cert", "key", "dh", "pkcs12", "tls-auth", "tls-crypt", "tls-crypt-v2", "key-direction", "secret",
            "cipher", "data-ciphers", "data-ciphers-fallback", "ncp-ciphers", "auth", "tls-version-min", "tls-version-max",
            "tls-cipher", "tls-ciphersuites", "ecdh-curve", "remote-cert-tls", "ns-cert-type", "verify-x509-name",
            "remote-cert-eku", "remote-cert-ku", "crl-verify", "tls-verify", "auth-user-pass", "auth-user-pass-verify",
            "auth-nocache", "auth-retry", "username-as-common-name", "verify-client-cert", "client-cert-not-required",
            "keepalive", "ping", "ping-restart", "ping-exit", "ping-timer-rem", "inactive", "persist-key", "persist-tun",
            "persist-local-ip", "persist-remote-ip", "user", "group", "chroot", "daemon", "writepid", "cd",
            "comp-lzo", "compress", "allow-compression", "explicit-exit-notify", "log", "log-append", "mute",
            "mute-replay-warnings", "status", "status-version", "resolv-retry", "connect-retry", "connect-retry-max",
            "connect-timeout", "server-poll-timeout", "remote-random", "tun-mtu", "tun-mtu-extra", "link-mtu", "mssfix",
            "fragment", "mtu-disc", "sndbuf", "rcvbuf", "txqueuelen", "fast-io", "management", "management-hold",
            "management-query-passwords", "script-security", "setenv", "setenv-safe", "ifconfig-pool-persist",
            "reneg-sec", "reneg-bytes", "reneg-pkts", "hand-window", "tran-window", "tls-timeout", "max-clients",
            "max-routes-per-client", "duplicate-cn", "tls-server", "tls-client", "replay-window", "dev-node",
            "suppress-timestamps", "machine-readable-output", "tcp-nodelay", "connect-freq",
            "tcp-queue-limit", "bcast-buffers", "hash-size", "learn-address", "client-connect", "client-disconnect",
            "auth-gen-token", "auth-token", "push-peer-info", "dhcp-option", "block-outside-dns", "register-dns",
            "mark", "socket-flags", "disable-dco", "tls-groups", "providers", "engine", "opt-verify", "pull-filter",
            "tls-exit", "single-session", "ccd-exclusive", "route-delay", "route-method", "ip-win32", "allow-pull-fqdn",
            "route-metric", "passtos", "up-restart", "up-delay", "verify-hash", "peer-fingerprint", "mlock",
            "auth-token-user", "static-challenge", "http-proxy", "socks-proxy", "http-proxy-option",
            "float", "multihome", "nobind", "bind", "lport", "rport", "port", "proto", "local", "remote", "dev",
            "dev-type", "topology", "server", "server-bridge", "mode", "client", "pull", "ifconfig", "ifconfig-pool",
            "route", "route-gateway", "push", "redirect-gateway", "client-config-dir", "client-to-client",
            "route-nopull", "verb", "tun-ipv6", "server-ipv6", "ifconfig-ipv6", "ifconfig-ipv6-pool", "route-ipv6",
            "syslog", "tls-crypt-v2-verify", "remote-random-hostname", "auth-user-pass-optional",
            "auth-gen-token-secret", "askpass", "http-proxy-user-pass", "echo", "vlan-tagging",
            "tls-export-cert", "x509-username-field", "x509-track", "keying-material-exporter", "force-tls-key-material-export",
            "management-client-auth", "management-client", "management-log-cache", "management-up-down",
            "management-signal", "management-forget-disconnect", "management-external-key", "management-external-cert",
            "management-client-user", "management-client-group", "management-query-proxy", "management-query-remote",
            "capath", "pkcs11-providers", "pkcs11-id", "pkcs11-id-management", "pkcs11-pin-cache",
            "pkcs11-private-mode", "pkcs11-protected-authentication", "pkcs11-cert-private", "nice",
            "errors-to-stderr", "stale-routes-check", "compat-mode", "session-timeout");

    /**
     * Every option name OpenVPN on Linux accepts (openvpn-options.txt: each name of options.c given to the real
     * OpenVPN 2.6.14), to the version that knows it: "" for 2.6, "2.7" for the newer ones. A name not here is
     * refused by OpenVPN ("Options error: Unrecognized option") unless ignore-unknown-option or setenv opt says not to.
     */
    private static final java.util.Map<String, String> KNOWN = knownOptions();

    private static java.util.Map<String, String> knownOptions() {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        try (var in = OpenVpnReader.class.getResourceAsStream("/roundtrip/openvpn-options.txt")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                String[] w = Text.words(t);
                out.put(w[0], w.length > 1 ? w[1] : "");
            }
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("openvpn-options.txt is missing from the jar", e);
        }
        return java.util.Map.copyOf(out);
    }

    /** Directives that only a CCD file (client-specific context) may hold: options.c's OPT_P_INSTANCE. */
    private static final Set<String> CCD_ONLY = Set.of("iroute", "ifconfig-push", "push-reset", "disable",
            "iroute-ipv6", "ifconfig-ipv6-push", "push-remove");

    /** One directive: its words and where it was written. */
    record Directive(List<String> words, Source source) {
        String name() { return words.get(0); }
        int args() { return words.size() - 1; }
        String arg(int i) { return words.get(i); }
    }

    /** Splits a config file into directives as parse_line does, skipping comments and inline blocks. */
    static List<Directive> directives(String file, String text) {
        List<Directive> out = new ArrayList<>();
        String[] lines = Text.lines(text);
        String inlineBlock = null;
        int inlineStart = 0;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            String line = raw.strip();
            int lineNo = i + 1;
            if (inlineBlock != null) {
                if (line.equals("</" + inlineBlock + ">")) inlineBlock = null;
                continue;
            }
            if (line.matches("<[A-Za-z0-9_-]+>")) {
                inlineBlock = line.substring(1, line.length() - 1);
                inlineStart = lineNo;
                continue;
            }
            List<String> words = words(file, lineNo, line);
            if (words.isEmpty()) continue;
            String first = words.get(0);
            // option names are compared as written (streq): "Remote" is not "remote"
            if (first.startsWith("--")) words.set(0, first.substring(2));
            out.add(new Directive(words, new Source(file, lineNo, line)));
        }
        if (inlineBlock != null)
            throw new InputException(file, inlineStart, "inline block <" + inlineBlock + "> is never closed by </" + inlineBlock + ">");
        return out;
    }

    private static List<String> words(String file, int lineNo, String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == 0 && cur == null) {
                if (Character.isWhitespace(c)) continue;
                if (c == '#' || c == ';') break;   // a comment can only start where a word could
                cur = new StringBuilder();
            }
            if (c == '\\' && quote != '\'' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (Character.isWhitespace(c)) {
                words.add(cur.toString());
                cur = null;
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) throw new InputException(file, lineNo, "no closing quotation (" + quote + ") in: " + line);
        if (cur != null) words.add(cur.toString());
        return words;
    }

    /** Reads a config file; {@code device} of the result is the {@code dev} argument as written (tun, tun0, tap). */
    public static OpenVpnConfig read(String file, String text, List<Problem> problems) {
        String dev = null, devType = null;
        Mode mode = null;
        boolean client = false, pull = false, tlsClient = false, nobind = false;
        String protoWord = "udp";
        Integer port = null, lport = null, rport = null;
        Ip local = null;
        List<Directive> remoteLines = new ArrayList<>();
        Topology topology = null;
        Prefix server = null, server6 = null;
        Source server6Source = null, pool6Source = null;
        Ip ifLocal6 = null, ifRemote6 = null, pool6 = null;
        int ifLength6 = 0, poolLength6 = 0;
        Source serverSource = null;
        boolean serverBridge = false, nopool = false;
        Ip ifLocal = null, ifRemote = null, poolStart = null, poolEnd = null;
        List<RouteOption> routes = new ArrayList<>();
        List<Option> pushes = new ArrayList<>();
        List<Option> pullFilters = new ArrayList<>();
        Redirect redirect = null;
        String ccdDir = null;
        boolean ccdExclusive = false, c2c = false, routeNoPull = false, floatPeer = false, multihome = false;
        int verb = 1;
        String writepid = null;
        Source first = new Source(file, 1, "");
        Set<String> ignoreUnknown = new java.util.HashSet<>();
        boolean forwardCompatible = false;
        for (Directive written : directives(file, text)) {
            if (first.line() == 1 && first.text().isEmpty()) first = written.source();
            Directive d = written;
            // options.c add_option: "setenv opt X ..." is option X, and X unknown is only a warning
            boolean optional = forwardCompatible;
            if (d.name().equals("setenv") && d.args() >= 1 && d.arg(1).equals("opt")) {
                if (d.args() < 2) throw err(d, "Unrecognized option or missing or extra parameter(s): setenv opt (OpenVPN stops here)");
                d = new Directive(new ArrayList<>(d.words().subList(2, d.words().size())), d.source());
                if (d.name().startsWith("--")) d.words().set(0, d.name().substring(2));
                optional = true;
            }
            if (ignoreUnknown.contains(d.name())) optional = true;
            switch (d.name()) {
                case "ignore-unknown-option" -> {
                    // applies to the lines after it, as OpenVPN reads them in order
                    if (d.args() < 1) throw err(d, "ignore-unknown-option needs at least one option name");
                    for (String o : d.words().subList(1, d.words().size())) ignoreUnknown.add(o.startsWith("--") ? o.substring(2) : o);
                }
                case "setenv" -> {
                    if (d.args() >= 2 && d.arg(1).equals("FORWARD_COMPATIBLE") && d.arg(2).equals("1")) forwardCompatible = true;
                }
                case "plugin" -> {
                    need(d, 1, 64);
                    problems.add(new Problem(d.source(), Message.of(Sentences.OPENVPN_PLUGIN, d.arg(1))));
                }
                case "dev" -> { need(d, 1, 1); dev = d.arg(1); }
                case "dev-type" -> {
                    need(d, 1, 1);
                    devType = d.arg(1);
                    if (!devType.equals("tun") && !devType.equals("tap") && !devType.equals("null"))
                        throw err(d, "dev-type must be tun, tap or null, not " + devType);
                }
                case "mode" -> {
                    need(d, 1, 1);
                    mode = switch (d.arg(1)) {
                        case "server" -> Mode.SERVER;
                        case "p2p" -> Mode.P2P;
                        default -> throw err(d, "mode must be p2p or server, not " + d.arg(1));
                    };
                }
                case "server" -> {
                    need(d, 2, 3);
                    server = netmask(d, d.arg(1), d.arg(2));
                    serverSource = d.source();
                    if (d.args() == 3) {
                        if (!d.arg(3).equals("nopool")) throw err(d, "the third argument of server can only be nopool");
                        nopool = true;
                    }
                }
                case "server-bridge" -> serverBridge = true;
                case "server-ipv6" -> {
                    need(d, 1, 1);
                    server6 = prefix6(d, d.arg(1));
                    netbits6(d, "--server-ipv6 settings: network", server6.len());
                    server6Source = d.source();
                }
                case "ifconfig-ipv6" -> {
                    need(d, 2, 2);
                    Address6 a = address6WithLength(d, d.arg(1));
                    netbits6(d, "ifconfig-ipv6: /netbits", a.len());
                    ifLocal6 = a.addr();
                    ifLength6 = a.len();
                    ifRemote6 = address6(d, d.arg(2));
                }
                case "ifconfig-ipv6-pool" -> {
                    need(d, 1, 1);
                    Address6 a = address6WithLength(d, d.arg(1));
                    netbits6(d, "--ifconfig-ipv6-pool settings: network", a.len());
                    pool6Source = d.source();
                    pool6 = a.addr();
                    poolLength6 = a.len();
                }
                case "route-ipv6" -> routes.add(route6(d));
                case "client" -> { need(d, 0, 0); client = true; }
                case "pull" -> pull = true;
                case "tls-client" -> tlsClient = true;
                case "proto" -> {
                    need(d, 1, 1);
                    protoWord = d.arg(1).toLowerCase(Locale.ROOT);
                    transport(d, protoWord);
                }
                case "port" -> { need(d, 1, 1); port = port(d, d.arg(1)); }
                case "lport" -> { need(d, 1, 1); lport = port(d, d.arg(1)); }
                case "rport" -> { need(d, 1, 1); rport = port(d, d.arg(1)); }
                case "local" -> {
                    need(d, 1, 1);
                    if (Ip.isAddress(d.arg(1))) local = Ip.parse(d.arg(1));
                    else problems.add(new Problem(d.source(), Message.of(Sentences.OPENVPN_LOCAL_NOT_ADDRESS)));
                }
                case "remote" -> { need(d, 1, 3); remoteLines.add(d); }
                case "nobind" -> nobind = true;
                case "float" -> floatPeer = true;
                case "multihome" -> multihome = true;
                case "topology" -> {
                    need(d, 1, 1);
                    topology = switch (d.arg(1)) {
                        case "net30" -> Topology.NET30;
                        case "p2p" -> Topology.P2P;
                        case "subnet" -> Topology.SUBNET;
                        default -> throw err(d, "topology must be net30, p2p or subnet, not " + d.arg(1));
                    };
                }
                case "ifconfig" -> {
                    need(d, 2, 2);
                    ifLocal = address(d, d.arg(1));
                    ifRemote = address(d, d.arg(2));
                }
                case "ifconfig-pool" -> {
                    need(d, 2, 3);
                    poolStart = address(d, d.arg(1));
                    poolEnd = address(d, d.arg(2));
                }
                case "route" -> routes.add(route(d));
                case "push" -> {
                    need(d, 1, 1);
                    pushes.add(new Option(d.arg(1), d.source()));
                    checkPushed(d, problems);
                }
                case "pull-filter" -> {
                    need(d, 2, 2);
                    if (!Set.of("accept", "ignore", "reject").contains(d.arg(1)))
                        throw err(d, "pull-filter must be accept, ignore or reject, not " + d.arg(1));
                    pullFilters.add(new Option(d.arg(1) + " " + d.arg(2), d.source()));
                }
                case "redirect-gateway" -> redirect = redirect(d);
                case "client-config-dir" -> { need(d, 1, 1); ccdDir = d.arg(1); }
                case "ccd-exclusive" -> ccdExclusive = true;
                case "client-to-client" -> c2c = true;
                case "route-nopull" -> routeNoPull = true;
                case "verb" -> { need(d, 1, 1); verb = number(d, d.arg(1), 0, 11); }
                case "writepid" -> { need(d, 1, 1); writepid = d.arg(1); }
                case "route-noexec", "ifconfig-noexec", "route-up", "up", "down", "ipchange", "route-pre-down" ->
                        problems.add(new Problem(d.source(), Message.of(Sentences.OPENVPN_SCRIPT_ROUTING, d.name())));
                default -> {
                    if (CCD_ONLY.contains(d.name()))
                        problems.add(new Problem(d.source(), Message.of(Sentences.OPENVPN_CCD_ONLY_OPTION, d.name())));
                    else if (!KNOWN.containsKey(d.name())) unknownOption(d, optional, problems);
                    else if ("2.7".equals(KNOWN.get(d.name())))
                        problems.add(new Problem(d.source(), Message.of(optional ? Sentences.OPENVPN_27_OPTION_IGNORED
                                : Sentences.OPENVPN_27_OPTION_STOPS, d.name())));
                    else if (!HARMLESS.contains(d.name()))
                        problems.add(new Problem(d.source(), Message.of(Sentences.OPENVPN_DIRECTIVE_NOT_SIMULATED, d.name())));
                }
            }
        }
        if (dev == null) throw new InputException(file, 0, "no dev directive: OpenVPN needs --dev");
        if (dev.equals("null") || "null".equals(devType)) {
            // dev null (tun.c DEV_TYPE_NULL): no tun or tap device, the tunnel's packets go nowhere (a test setup)
            devType = "null";
            problems.add(new Problem(first, Message.of(Sentences.OPENVPN_DEV_NULL)));
        }
        if (devType == null) {
            if (dev.startsWith("tun")) devType = "tun";
            else if (dev.startsWith("tap")) devType = "tap";
            else throw new InputException(file, 0, "dev " + dev + " needs dev-type tun or tap (the name does not say)");
        }
        if (client) {
            if (server != null) throw new InputException(file, serverSource.line(), "--server and --client cannot be used together");
            if (server6 != null) throw new InputException(file, server6Source.line(), "--server-ipv6 and --client cannot be used together");
            pull = true;
            tlsClient = true;
        }
        if (server != null || server6 != null || serverBridge) mode = Mode.SERVER;
        if (mode == null) mode = pull || tlsClient ? Mode.CLIENT : Mode.P2P;
        int transport = transport(null, protoWord);
        boolean topologySet = topology != null;
        // helper.c: a tun server's topology defaults to net30 in OpenVPN 2.6 (subnet from 2.7 on)
        if (topology == null) topology = Topology.NET30;
        if (server != null) {
            Ip net = server.addr();
            Ip bcast = server.last();
            Ip mask = Ip.v4(Ip.v4Mask(server.len()));
            if (devType.equals("tun") && server.len() > 29)
                throw new InputException(file, serverSource.line(), "--server directive when used with --dev tun must define a subnet of 255.255.255.248 or lower");
            if (devType.equals("tun") && topology != Topology.SUBNET) {
                ifLocal = net.plus(1);
                ifRemote = net.plus(2);
                if (!nopool) { poolStart = net.plus(4); poolEnd = bcast.plus(server.len() == 29 ? 0 : -4); }
                routes.add(new RouteOption(server, null, serverSource));
                if (c2c) pushes.add(new Option("route " + net + " " + mask, serverSource));
                else if (topology == Topology.NET30) pushes.add(new Option("route " + net.plus(1), serverSource));
            } else {
                ifLocal = net.plus(1);
                ifRemote = mask;
                if (!nopool) { poolStart = net.plus(2); poolEnd = bcast.plus(-1); }
                pushes.add(new Option("route-gateway " + net.plus(1), serverSource));
            }
            if (devType.equals("tun"))
                pushes.add(new Option("topology " + topology.name().toLowerCase(Locale.ROOT), serverSource));
        }
        if (server6 != null) {
            // helper.c: server-ipv6 NET/BITS is ifconfig-ipv6 NET+1/BITS NET+2 and a pool from NET+0x1000 (NET+2 for a /112
            // or longer), and pushes tun-ipv6
            if (nopool) throw new InputException(file, serverSource.line(), "--server-ipv6 is incompatible with 'nopool' option");
            if (pool6 != null)
                throw new InputException(file, pool6Source.line(), "--server-ipv6 already defines an ifconfig-ipv6-pool, so you can't also "
                        + "specify --ifconfig-pool explicitly");
            ifLocal6 = server6.addr().plus(1);
            ifRemote6 = server6.addr().plus(2);
            ifLength6 = server6.len();
            pool6 = server6.addr().plus(server6.len() < 112 ? 0x1000 : 2);
            poolLength6 = server6.len();
            pushes.add(new Option("tun-ipv6", server6Source));
        }
        int defaultPort = port != null ? port : DEFAULT_PORT;
        List<Remote> remotes = new ArrayList<>();
        for (Directive d : remoteLines) {
            String host = d.arg(1);
            int rp = d.args() >= 2 ? port(d, d.arg(2)) : rport != null ? rport : defaultPort;
            int rt = d.args() >= 3 ? transport(d, d.arg(3)) : transport;
            // a host name stays unresolved here: a network file's names: map resolves it (RemoteNames), else the pairing warns
            Ip addr = Ip.isAddress(host) ? Ip.parse(host) : null;
            // udp4/tcp4 take only IPv4 addresses of a remote, udp6/tcp6 only IPv6 ones (socket.c: the connection's af)
            Ip.Family only = socketFamily(d.args() >= 3 ? d.arg(3) : protoWord);
            if (addr != null && only != null && addr.family() != only) {
                problems.add(new Problem(d.source(), Message.of(Sentences.OPENVPN_REMOTE_FAMILY, host, addr.family().word(),
                        d.args() >= 3 ? d.arg(3) : protoWord, only.word())));
                addr = null;
            }
            remotes.add(new Remote(host, addr, rp, rt, d.source()));
        }
        int localPort;
        if (lport != null) localPort = lport;
        else if (mode != Mode.SERVER && (nobind || transport == Packet.TCP)) localPort = 0;   // the kernel picks one
        else localPort = defaultPort;
        if (mode == Mode.SERVER && !remotes.isEmpty())
            problems.add(new Problem(remoteLines.get(0).source(), Message.of(Sentences.OPENVPN_REMOTE_IN_SERVER)));
        return new OpenVpnConfig(dev, devType, mode, transport, localPort, local, remotes, topology, topologySet, server,
                ifLocal, ifRemote, poolStart, poolEnd, routes, pushes, redirect, ccdDir, ccdExclusive, c2c, pull,
                routeNoPull, pullFilters, floatPeer, multihome, verb, writepid, List.of(), null, first, OpenVpnSecrets.strip(text),
                server6 == null && ifLocal6 == null && pool6 == null ? null
                        : new OpenVpnConfig.Ipv6(server6, ifLocal6, ifLength6, ifRemote6, pool6, poolLength6),
                socketFamily(protoWord));
    }

    /** Reads openvpn/ccd/COMMON_NAME: only client-specific directives have an effect there. */
    public static Ccd readCcd(String file, String commonName, String text, List<Problem> problems) {
        List<Iroute> iroutes = new ArrayList<>();
        IfconfigPush push = null;
        OpenVpnConfig.IfconfigPush6 push6 = null;
        List<Option> pushes = new ArrayList<>();
        boolean pushReset = false, disabled = false;
        for (Directive d : directives(file, text)) {
            switch (d.name()) {
                case "iroute-ipv6" -> { need(d, 1, 1); iroutes.add(new Iroute(prefix6(d, d.arg(1)), d.source())); }
                case "iroute" -> {
                    need(d, 1, 2);
                    iroutes.add(new Iroute(d.args() == 2 ? netmask(d, d.arg(1), d.arg(2)) : Prefix.host(address(d, d.arg(1))), d.source()));
                }
                case "ifconfig-push" -> {
                    need(d, 2, 3);
                    push = new IfconfigPush(address(d, d.arg(1)), address(d, d.arg(2)), d.source());
                }
                case "push" -> {
                    need(d, 1, 1);
                    pushes.add(new Option(d.arg(1), d.source()));
                    checkPushed(d, problems);
                }
                case "ifconfig-ipv6-push" -> {
                    // options.c: LOCAL/BITS [REMOTE]; without REMOTE the server's own ifconfig-ipv6 address is the peer
                    need(d, 1, 2);
                    Address6 a = address6WithLength(d, d.arg(1));
                    push6 = new OpenVpnConfig.IfconfigPush6(a.addr(), a.len(), d.args() == 2 ? address6(d, d.arg(2)) : null, d.source());
                }
                case "push-reset" -> pushReset = true;
                case "disable" -> disabled = true;
                case "push-remove", "config", "echo", "inactive", "setenv",
                     "auth-token", "vlan-pvid", "override-username" -> { }
                default -> problems.add(new Problem(d.source(), Message.of(HARMLESS.contains(d.name())
                        ? Sentences.OPENVPN_CCD_NOT_ALLOWED : Sentences.OPENVPN_CCD_UNKNOWN, d.name())));
            }
        }
        return new Ccd(commonName, iroutes, push, pushes, pushReset, disabled, new Source(file, 0, ""), push6);
    }

    /** A pushed option that OpenVPN does not push (or that we do not model) is worth saying. */
    private static void checkPushed(Directive d, List<Problem> problems) {
        List<String> w = List.of(Text.words(d.arg(1).strip()));
        switch (w.get(0)) {
            case "route" -> {
                if (w.size() < 2 || w.size() > 5) throw err(d, "pushed route needs NETWORK [NETMASK] [GATEWAY] [METRIC]");
                address(d, w.get(1));
                if (w.size() >= 3 && !w.get(2).equals("default")) netmask(d, w.get(1), w.get(2));
                if (w.size() >= 4 && !w.get(3).equals("default") && !Ip.isV4Address(w.get(3))
                        && !Set.of("vpn_gateway", "net_gateway", "remote_host").contains(w.get(3)))
                    throw err(d, "pushed route gateway must be an address, vpn_gateway, net_gateway or remote_host, not " + w.get(3));
            }
            case "route-ipv6" -> {
                if (w.size() < 2 || w.size() > 4) throw err(d, "pushed route-ipv6 needs NETWORK/BITS [GATEWAY] [METRIC]");
                prefix6(d, w.get(1));
                if (w.size() >= 3 && !w.get(2).equals("default") && !w.get(2).equals("vpn_gateway") && !w.get(2).equals("net_gateway"))
                    address6(d, w.get(2));
            }
            case "redirect-gateway", "route-gateway", "topology", "dhcp-option", "ping", "ping-restart", "comp-lzo",
                 "compress", "tun-ipv6", "ifconfig-ipv6", "redirect-private", "block-outside-dns", "route-metric",
                 "register-dns", "explicit-exit-notify", "peer-id", "cipher", "auth-token", "echo", "inactive",
                 "block-ipv6", "route-delay", "setenv" -> { }
            default -> problems.add(new Problem(d.source(), Message.of(Sentences.OPENVPN_PUSHED_NOT_MODELLED, w.get(0))));
        }
    }

    /**
     * An option OpenVPN does not know: it stops with "Options error: Unrecognized option or missing or extra
     * parameter(s) in FILE:LINE: NAME", unless the option is one ignore-unknown-option named before, came as
     * "setenv opt NAME", or setenv FORWARD_COMPATIBLE 1 was given: then it only warns and goes on.
     */
    private static void unknownOption(Directive d, boolean optional, List<Problem> problems) {
        String windows = WINDOWS_ONLY.contains(d.name()) ? " (an option of OpenVPN on Windows)" : "";
        if (!optional)
            throw err(d, "Unrecognized option or missing or extra parameter(s): " + d.name() + windows
                    + "; OpenVPN stops here (list it in ignore-unknown-option, or write \"setenv opt " + d.name() + "\", to make it a warning)");
        problems.add(new Problem(d.source(), Message.of(windows.isEmpty() ? Sentences.OPENVPN_UNKNOWN_OPTION
                : Sentences.OPENVPN_UNKNOWN_WINDOWS_OPTION, d.name())));
    }

    /** Options that exist only in OpenVPN for Windows (options.c, #ifdef _WIN32): unknown on Linux. */
    private static final Set<String> WINDOWS_ONLY = Set.of("allow-nonadmin", "block-outside-dns", "dhcp-internal",
            "dhcp-pre-release", "dhcp-release", "dhcp-renew", "ip-win32", "pause-exit", "rdns-internal", "register-dns",
            "service", "show-adapters", "show-net", "show-net-up", "show-valid-subnets", "tap-sleep", "win-sys",
            "windows-driver", "cryptoapicert");

    private static RouteOption route(Directive d) {
        need(d, 1, 4);
        Prefix net;
        if (d.args() == 1 || d.arg(2).equals("default")) net = Prefix.host(address(d, d.arg(1)));
        else net = netmask(d, d.arg(1), d.arg(2));
        String gw = d.args() >= 3 && !d.arg(3).equals("default") ? d.arg(3) : null;
        if (gw != null && !Ip.isV4Address(gw) && !Set.of("vpn_gateway", "net_gateway", "remote_host").contains(gw))
            throw err(d, "route gateway must be an address, vpn_gateway, net_gateway or remote_host, not " + gw);
        return new RouteOption(net, gw, d.source());
    }

    /** {@code route-ipv6 NET/BITS [GATEWAY] [METRIC]}: a route of the IPv6 side, kept with its gateway as written. */
    private static RouteOption route6(Directive d) {
        need(d, 1, 3);
        String gw = d.args() >= 2 && !d.arg(2).equals("default") ? d.arg(2) : null;
        if (gw != null && !gw.equals("vpn_gateway") && !gw.equals("net_gateway")) address6(d, gw);
        return new RouteOption(prefix6(d, d.arg(1)), gw, d.source());
    }

    /** An IPv6 prefix as OpenVPN's get_ipv6_addr takes it: ADDR/BITS, or ADDR alone for a /128. */
    static Prefix prefix6(Directive d, String text) {
        Address6 a = address6WithLength(d, text);
        return new Prefix(a.addr(), a.len());
    }

    private record Address6(Ip addr, int len) {}

    /** "ADDR/BITS", or "ADDR" for 128 bits. */
    private static Address6 address6WithLength(Directive d, String text) {
        int slash = text.indexOf('/');
        Ip a = address6(d, slash < 0 ? text : text.substring(0, slash));
        int len = slash < 0 ? 128 : number(d, text.substring(slash + 1), 0, 128);
        return new Address6(a, len);
    }

    private static Ip address6(Directive d, String text) {
        if (!Ip.isAddress(text) || !Ip.parse(text).isV6()) throw err(d, "not an IPv6 address: " + text);
        return Ip.parse(text);
    }

    private static Redirect redirect(Directive d) {
        Set<String> flags = new LinkedHashSet<>();
        for (int i = 1; i <= d.args(); i++) {
            String f = d.arg(i);
            if (!Set.of("def1", "local", "autolocal", "bypass-dhcp", "bypass-dns", "block-local", "ipv6", "!ipv4").contains(f))
                throw err(d, "unknown redirect-gateway flag " + f);
            flags.add(f);
        }
        return new Redirect(flags, d.source());
    }

    /** The family a proto word restricts the socket to: udp4/tcp4-client... IPv4, udp6... IPv6, udp/tcp none (null). */
    private static Ip.Family socketFamily(String protoWord) {
        String w = protoWord.toLowerCase(Locale.ROOT);
        if (w.matches("(udp|tcp)4.*")) return Ip.Family.IPV4;
        if (w.matches("(udp|tcp)6.*")) return Ip.Family.IPV6;
        return null;
    }

    /** options.c: the IPv6 networks of server-ipv6, ifconfig-ipv6 and ifconfig-ipv6-pool are /64 to /124. */
    private static void netbits6(Directive d, String what, int len) {
        if (len < 64 || len > 124) throw err(d, what + " must be between /64 and /124 (not /" + len + ")");
    }

    private static int transport(Directive d, String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "udp", "udp4", "udp6" -> Packet.UDP;
            case "tcp", "tcp4", "tcp6", "tcp-server", "tcp-client", "tcp4-server", "tcp4-client", "tcp6-server", "tcp6-client" -> Packet.TCP;
            default -> throw d == null ? new IllegalStateException() : err(d, "unknown protocol " + word
                    + " (udp, tcp, udp4, tcp4, udp6, tcp6, tcp-server, tcp-client)");
        };
    }

    static Prefix netmask(Directive d, String net, String mask) {
        Ip n = address(d, net);
        int m = address(d, mask).v4();
        int len = Ip.v4MaskLength(m);
        if (len < 0) throw err(d, "not a netmask: " + mask);
        if ((n.v4() & ~m) != 0) throw err(d, n + " and " + mask + " are inconsistent: host bits are set");
        return new Prefix(n, len);
    }

    static Ip address(Directive d, String text) {
        if (!Ip.isV4Address(text)) throw err(d, "not an IPv4 address: " + text);
        return Ip.parseV4(text);
    }

    private static int port(Directive d, String text) { return number(d, text, 1, 65535); }

    private static int number(Directive d, String text, int min, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw err(d, "not a number from " + min + " to " + max + ": " + text);
        }
    }

    private static void need(Directive d, int min, int max) {
        if (d.args() < min || d.args() > max)
            throw err(d, d.name() + " takes " + (min == max ? min : min + " to " + max) + " argument" + (max == 1 ? "" : "s")
                    + ", got " + d.args());
    }

    private static InputException err(Directive d, String message) {
        return new InputException(d.source().file(), d.source().line(), message);
    }

    // ---- status file ----------------------------------------------------------------------------------------

    /**
     * Reads a server's status file in any of the three formats multi_print_status writes: version 1 ("OpenVPN
     * CLIENT LIST" ... "ROUTING TABLE" ... "GLOBAL STATS" ... "END"), 2 (comma-separated, "HEADER,CLIENT_LIST,..."
     * then "CLIENT_LIST,..." lines) and 3 (the same, tab-separated). Columns are found by the header names, so
     * versions that have more or fewer columns read alike. Real addresses may carry the socket's protocol
     * (udp4:198.51.100.7:51234, OpenVPN 2.7); a ROUTING TABLE address ending in 'C' is a cached host route.
     * <p>A client (or p2p instance) writes its statistics instead, whatever its status-version (sig.c
     * print_status): "OpenVPN STATISTICS", "Updated,TIME", "NAME,COUNTER" lines, "END". They name no peer and
     * nothing about routing: such a file is checked and null returned.
     */
    public static StatusLog readStatus(String file, String text) {
        String[] lines = Text.lines(text);
        int firstLine = 0;
        while (firstLine < lines.length && lines[firstLine].isBlank()) firstLine++;
        if (firstLine == lines.length) throw new InputException(file, 0, "empty status file");
        String head = lines[firstLine];
        int version;
        char sep;
        if (head.startsWith("OpenVPN CLIENT LIST")) { version = 1; sep = ','; }
        else if (head.startsWith("TITLE,") || head.startsWith("TIME,") || head.startsWith("HEADER,")) { version = 2; sep = ','; }
        else if (head.startsWith("TITLE\t") || head.startsWith("TIME\t") || head.startsWith("HEADER\t")) { version = 3; sep = '\t'; }
        else if (head.equals("OpenVPN STATISTICS")) { checkStatistics(file, lines, firstLine); return null; }
        else throw new InputException(file, firstLine + 1, "not an OpenVPN status file (expected \"OpenVPN CLIENT LIST\", TITLE or HEADER)");

        List<StatusClient> clients = new ArrayList<>();
        List<StatusRoute> routes = new ArrayList<>();
        List<String> clientCols = null, routeCols = null;
        String section = null;   // version 1: CLIENT, ROUTING, OTHER
        boolean ended = false;
        for (int i = firstLine; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.isBlank()) continue;
            if (ended) throw new InputException(file, lineNo, "text after END");
            Source src = new Source(file, lineNo, line);
            List<String> f = List.of(line.split(sep == '\t' ? "\t" : ",", -1));
            if (line.equals("END")) { ended = true; continue; }
            if (version == 1) {
                switch (line) {
                    case "OpenVPN CLIENT LIST" -> { section = "CLIENT"; continue; }
                    case "ROUTING TABLE" -> { section = "ROUTING"; continue; }
                    case "GLOBAL STATS" -> { section = "OTHER"; continue; }
                    default -> { }
                }
                if (f.get(0).equals("Updated")) continue;
                if (f.get(0).equals("Common Name")) { clientCols = f; continue; }
                if (f.get(0).equals("Virtual Address")) { routeCols = f; continue; }
                if ("CLIENT".equals(section)) {
                    clients.add(client(file, lineNo, src, f, 0, require(file, lineNo, clientCols, "the \"Common Name,Real Address,...\" header")));
                } else if ("ROUTING".equals(section)) {
                    routes.add(route(file, lineNo, src, f, 0, require(file, lineNo, routeCols, "the \"Virtual Address,Common Name,...\" header")));
                } else if (!"OTHER".equals(section)) {
                    throw new InputException(file, lineNo, "unexpected line outside the sections of a version 1 status file");
                }
                continue;
            }
            switch (f.get(0)) {
                case "TITLE", "TIME", "GLOBAL_STATS" -> { }
                case "HEADER" -> {
                    if (f.size() < 2) throw new InputException(file, lineNo, "HEADER without a name");
                    if (f.get(1).equals("CLIENT_LIST")) clientCols = f.subList(2, f.size());
                    else if (f.get(1).equals("ROUTING_TABLE")) routeCols = f.subList(2, f.size());
                }
                case "CLIENT_LIST" -> clients.add(client(file, lineNo, src, f, 1, require(file, lineNo, clientCols, "a HEADER" + sep + "CLIENT_LIST line")));
                case "ROUTING_TABLE" -> routes.add(route(file, lineNo, src, f, 1, require(file, lineNo, routeCols, "a HEADER" + sep + "ROUTING_TABLE line")));
                default -> throw new InputException(file, lineNo, "unknown line type \"" + f.get(0) + "\" in a version " + version + " status file");
            }
        }
        if (!ended) throw new InputException(file, lines.length, "status file ends without END (cut short while being written?)");
        return new StatusLog(version, clients, routes, new Source(file, 0, ""));
    }

    /** A client's status file: "NAME,VALUE" lines (byte counters, "Updated", on Windows the TAP driver's status) up to END. */
    private static void checkStatistics(String file, String[] lines, int first) {
        boolean ended = false;
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) continue;
            if (ended) throw new InputException(file, i + 1, "text after END");
            if (line.equals("END")) { ended = true; continue; }
            int comma = line.indexOf(',');
            if (comma <= 0) throw new InputException(file, i + 1, "expected \"NAME,VALUE\" in a client's status file (OpenVPN STATISTICS): " + line);
        }
        if (!ended) throw new InputException(file, lines.length, "status file ends without END (cut short while being written?)");
    }

    private static List<String> require(String file, int line, List<String> cols, String what) {
        if (cols == null) throw new InputException(file, line, "a row before " + what);
        return cols;
    }

    private static String column(String file, int line, List<String> fields, int offset, List<String> cols, String name, boolean required) {
        int i = cols.indexOf(name);
        if (i < 0) {
            if (required) throw new InputException(file, line, "the header has no \"" + name + "\" column");
            return null;
        }
        if (offset + i >= fields.size()) throw new InputException(file, line, "missing the \"" + name + "\" column");
        return fields.get(offset + i);
    }

    private static StatusClient client(String file, int line, Source src, List<String> f, int offset, List<String> cols) {
        String cn = column(file, line, f, offset, cols, "Common Name", true);
        Real real = realAddress(file, line, column(file, line, f, offset, cols, "Real Address", true));
        String virt = column(file, line, f, offset, cols, "Virtual Address", false);
        Ip v = null;
        if (virt != null && !virt.isEmpty()) {
            if (!Ip.isV4Address(virt)) throw new InputException(file, line, "Virtual Address is not an IPv4 address: " + virt);
            v = Ip.parseV4(virt);
        }
        // multi_print_status (versions 2 and 3): the address the client got from ifconfig-ipv6-pool or ifconfig-ipv6-push
        String virt6 = column(file, line, f, offset, cols, "Virtual IPv6 Address", false);
        Ip v6 = null;
        if (virt6 != null && !virt6.isEmpty()) {
            Ip parsed = Ip.parseV6OrNull(virt6);
            if (parsed == null || !parsed.isV6()) throw new InputException(file, line, "Virtual IPv6 Address is not an IPv6 address: " + virt6);
            v6 = parsed;
        }
        return new StatusClient(cn, real == null ? null : real.addr(), real == null ? 0 : real.port(), v, src, v6);
    }

    private static StatusRoute route(String file, int line, Source src, List<String> f, int offset, List<String> cols) {
        String virt = column(file, line, f, offset, cols, "Virtual Address", true);
        String cn = column(file, line, f, offset, cols, "Common Name", true);
        Real real = realAddress(file, line, column(file, line, f, offset, cols, "Real Address", true));
        // a 'C' after the address marks a cached host route (addresses are printed in lower case, IPv6's hex too)
        boolean cached = virt.endsWith("C");
        if (cached) virt = virt.substring(0, virt.length() - 1);
        Prefix p = null;
        String mac = null;
        if (virt.matches("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}(@\\d+)?")) mac = virt;
        else {
            // IPv4 and IPv6 alike: the client's own address (/32, /128) or an iroute's network (ADDR/BITS)
            try { p = Prefix.parse(virt, Ip.familyOf(virt)); } catch (IllegalArgumentException e) {
                throw new InputException(file, line, "Virtual Address is neither an address, a network nor a MAC: " + virt);
            }
        }
        return new StatusRoute(p, mac, cached, cn, real == null ? null : real.addr(), real == null ? 0 : real.port(), src);
    }

    private record Real(Ip addr, int port) {}

    /**
     * A client's real address as mroute_addr_print writes it: "198.51.100.7:51234", "udp4:198.51.100.7:51234",
     * "[AF_INET]198.51.100.7:51234"; a native IPv6 client as its address alone, "2001:db8:a::2" (mroute_addr_print_ex
     * prints a port only for IPv4 and v4-mapped addresses: "v6addr:port is too ambiguous"; the real daemon's status file
     * in f-ovpn-ipv6 shows it), bracketed with a port where a tool wrote "[2001:db8::7]:51234"; a v4-mapped client of a
     * udp6 socket as its IPv4 address and port.
     */
    private static Real realAddress(String file, int line, String text) {
        String t = text;
        int colon = t.indexOf(':');
        if (colon > 0 && t.substring(0, colon).matches("(udp|tcp)[46]?(-server|-client)?")) t = t.substring(colon + 1);
        if (t.startsWith("[AF_INET]")) t = t.substring("[AF_INET]".length());
        if (t.startsWith("[AF_INET6]")) t = t.substring("[AF_INET6]".length());
        String addr = t, port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) throw new InputException(file, line, "Real Address is not address:port: " + text);
            addr = t.substring(1, close);
            if (close + 1 < t.length()) {
                if (t.charAt(close + 1) != ':') throw new InputException(file, line, "Real Address is not address:port: " + text);
                port = t.substring(close + 2);
            }
        } else if (Ip.isAddress(t)) {
            addr = t;   // an IPv6 address without a port (or an IPv4 one)
        } else {
            int c = t.lastIndexOf(':');
            if (c >= 0) { addr = t.substring(0, c); port = t.substring(c + 1); }
        }
        if (!Ip.isAddress(addr)) throw new InputException(file, line, "Real Address is not address:port: " + text);
        int p = 0;
        if (port != null) {
            try { p = Integer.parseInt(port); } catch (NumberFormatException e) {
                throw new InputException(file, line, "Real Address has a bad port: " + text);
            }
        }
        return new Real(Ip.parse(addr).unmapped(), p);
    }
}
