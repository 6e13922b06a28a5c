package roundtrip.importer;

import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.model.Text;
import roundtrip.model.WireGuardConfig;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import javax.crypto.KeyAgreement;

/**
 * Reads `wg showconf IFACE` output or a wg-quick file. The interface's public key is derived from its private key
 * (X25519 with the base point, as `wg pubkey` does) so peers on other hosts can be paired; a collector that
 * redacted the private key may leave `PublicKey =` (or `# PublicKey =`) in [Interface] instead.
 */
public final class WireGuardReader {
    private WireGuardReader() {}

    /** "# PublicKey = ..." as the collector leaves it when it redacts the private key */
    private static final java.util.regex.Pattern COMMENTED_PUBLIC_KEY = java.util.regex.Pattern.compile("#\\s*PublicKey\\s*=.*");

    /** A wg-quick setting as written: its value (for hooks, the text after '=' with its comments) and its line. */
    public record Setting(String value, Source source) {}

    /**
     * The [Interface] settings only wg-quick(8) reads (parse_options in wg-quick/linux.bash), which `wg setconf`
     * refuses: a text with any of them is a wg-quick file.
     */
    public record Quick(List<Setting> addresses, Setting mtu, Setting table, List<Setting> preUp, List<Setting> postUp,
                        List<Setting> preDown, List<Setting> postDown, List<Setting> dns, Setting saveConfig) {
        public boolean present() {
            return !addresses.isEmpty() || mtu != null || table != null || !preUp.isEmpty() || !postUp.isEmpty()
                    || !preDown.isEmpty() || !postDown.isEmpty() || !dns.isEmpty() || saveConfig != null;
        }

        /** Table = off: wg-quick adds no route. */
        public boolean tableOff() { return table != null && table.value().equals("off"); }

        /** Table unset or auto: routes in main, a default route by wg-quick's own policy routing. */
        public boolean tableAuto() { return table == null || table.value().isEmpty() || table.value().equals("auto"); }
    }

    /** The configuration `wg` takes from the text, and what only wg-quick reads from it. */
    public record Parsed(WireGuardConfig config, Quick quick) {}

    public static WireGuardConfig read(String file, String device, String text, List<Problem> problems) {
        return parse(file, device, text, problems, Map.of()).config();
    }

    /**
     * @param names host names of Endpoints to their addresses (the network file's {@code names:}); a name not in
     *              it leaves the peer without an endpoint, with a warning
     */
    public static Parsed parse(String file, String device, String text, List<Problem> problems, Map<String, Ip> names) {
        String publicKey = null;
        int listenPort = 0;
        long fwmark = 0;
        List<WireGuardConfig.Peer> peers = new ArrayList<>();
        String section = null;
        Source sectionSource = new Source(file, 1, "[Interface]");
        Source interfaceSource = sectionSource;
        // the peer being read
        String peerKey = null;
        Ip epAddr = null;
        String epHost = null;
        int epPort = 0, keepalive = 0;
        List<Prefix> allowed = new ArrayList<>();
        Source allowedSource = Source.NONE;
        // wg-quick's settings
        List<Setting> addresses = new ArrayList<>(), dns = new ArrayList<>();
        List<Setting> preUp = new ArrayList<>(), postUp = new ArrayList<>(), preDown = new ArrayList<>(), postDown = new ArrayList<>();
        Setting mtu = null, table = null, saveConfig = null;

        Map<String, String> derived = new HashMap<>();   // a key repeated in the file is derived once
        String[] lines = Text.lines(text);
        for (int i = 0; i <= lines.length; i++) {
            String raw = i < lines.length ? lines[i] : "[End]";
            int lineNo = i + 1;
            String trimmed = raw.strip();
            boolean commentedPublicKey = trimmed.startsWith("#") && COMMENTED_PUBLIC_KEY.matcher(trimmed).matches();
            // config_read_line (wg's config.c): everything from '#' on is a comment, and every blank is dropped
            String line = commentedPublicKey ? clean(trimmed.substring(1)) : clean(raw);
            if (line.isEmpty()) continue;
            if (line.startsWith("[")) {
                if ("Peer".equals(section))
                    peers.add(new WireGuardConfig.Peer(peerKey, epAddr, epPort, allowed, sectionSource, allowedSource, epHost, keepalive));
                // process_line: section names are compared without regard to case
                String name = line.replace("[", "").replace("]", "");
                section = name.equalsIgnoreCase("Interface") ? "Interface" : name.equalsIgnoreCase("Peer") ? "Peer" : name;
                sectionSource = new Source(file, lineNo, trimmed);
                if (section.equals("Interface")) interfaceSource = sectionSource;
                else if (!section.equals("Peer") && !section.equals("End"))
                    throw new InputException(file, lineNo, "unknown section " + trimmed + " (expected [Interface] or [Peer])");
                peerKey = null; epAddr = null; epHost = null; epPort = 0; keepalive = 0; allowed = new ArrayList<>(); allowedSource = Source.NONE;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) throw new InputException(file, lineNo, "expected \"Key = Value\", got: " + trimmed);
            if (section == null) throw new InputException(file, lineNo, "a setting before [Interface]");
            String key = line.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1);
            Source here = new Source(file, lineNo, trimmed);
            if (section.equals("Interface")) {
                switch (key) {
                    case "privatekey" -> {
                        final int at = lineNo;
                        if (!redacted(value)) publicKey = derived.computeIfAbsent(value, v -> derivePublicKey(v, file, at));
                    }
                    case "publickey" -> publicKey = redacted(value) ? publicKey : key(value, file, lineNo);
                    case "listenport" -> listenPort = number(value, file, lineNo, 65535);
                    case "fwmark" -> fwmark = value.equals("off") ? 0 : parseMark(value, file, lineNo);
                    // wg-quick's own settings (parse_options): the value with its comment stripped as wg-quick strips it,
                    // blanks kept between words; hooks keep the whole text after '=' (unstripped_value)
                    case "address" -> {
                        for (String a : quickValue(raw).split("[,\\s]+")) if (!a.isEmpty()) addresses.add(new Setting(a, here));
                    }
                    case "dns" -> dns.add(new Setting(quickValue(raw), here));
                    case "mtu" -> mtu = new Setting(quickValue(raw), here);
                    case "table" -> table = new Setting(quickValue(raw), here);
                    case "saveconfig" -> saveConfig = new Setting(quickValue(raw), here);
                    case "preup" -> preUp.add(new Setting(hookValue(raw), here));
                    case "postup" -> postUp.add(new Setting(hookValue(raw), here));
                    case "predown" -> preDown.add(new Setting(hookValue(raw), here));
                    case "postdown" -> postDown.add(new Setting(hookValue(raw), here));
                    default -> problems.add(new Problem(here, Message.of(Sentences.WG_UNKNOWN_INTERFACE_SETTING, key)));
                }
            } else {
                switch (key) {
                    case "publickey" -> {
                        if (redacted(value)) problems.add(new Problem(here, Message.of(Sentences.WG_PEER_KEY_REDACTED)));
                        else peerKey = key(value, file, lineNo);
                    }
                    case "endpoint" -> {
                        Endpoint ep = endpoint(value, file, lineNo);
                        epPort = ep.port();
                        if (ep.zone() != null)
                            problems.add(new Problem(here, Message.of(Sentences.WG_ENDPOINT_ZONE, value, ep.zone())));
                        if (Ip.isAddress(ep.host())) {
                            // an IPv6 endpoint: the tunnel's datagrams are IPv6 packets of the host (socket.c send6)
                            epAddr = Ip.parse(ep.host());
                        } else {
                            // wg resolves the name when the configuration is set (config.c parse_endpoint, getaddrinfo)
                            epHost = ep.host().toLowerCase(Locale.ROOT);
                            if (epHost.endsWith(".")) epHost = epHost.substring(0, epHost.length() - 1);
                            epAddr = names.get(epHost);
                            if (epAddr == null)
                                problems.add(new Problem(here, Message.of(Sentences.WG_ENDPOINT_NAME_UNKNOWN, ep.host())));
                        }
                    }
                    case "allowedips" -> {
                        allowedSource = here;
                        for (String part : value.split(",")) {
                            String p = part.strip();
                            if (p.isEmpty()) continue;
                            // IPv6 prefixes are kept: the peer is chosen per family, so they never take an IPv4 packet
                            try { allowed.add(Prefix.parse(p)); } catch (IllegalArgumentException e) {
                                throw new InputException(file, lineNo, "not a prefix in AllowedIPs: " + p);
                            }
                        }
                    }
                    // config.c parse_persistent_keepalive: "off" or 0..65535 seconds
                    case "persistentkeepalive" -> keepalive = value.equals("off") ? 0 : number(value, file, lineNo, 65535);
                    case "presharedkey" -> { }
                    default -> problems.add(new Problem(here, Message.of(Sentences.WG_UNKNOWN_PEER_SETTING, key)));
                }
            }
        }
        if (publicKey == null)
            problems.add(new Problem(interfaceSource, Message.of(Sentences.WG_NO_KEY, device)));
        WireGuardConfig config = new WireGuardConfig(device, publicKey, listenPort, fwmark, oneOwnerPerPrefix(peers, problems), interfaceSource);
        return new Parsed(config, new Quick(addresses, mtu, table, preUp, postUp, preDown, postDown, dns, saveConfig));
    }

    /**
     * The cryptokey routing table holds a prefix once, for one peer (one trie per family): setting a prefix another
     * peer has moves it to the peer being set (allowedips.c add: node_placement finds it, its peer is replaced), so
     * of two peers naming the same prefix the later one keeps it. The earlier one loses it, and a warning says so.
     */
    static List<WireGuardConfig.Peer> oneOwnerPerPrefix(List<WireGuardConfig.Peer> peers, List<Problem> problems) {
        List<WireGuardConfig.Peer> out = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            WireGuardConfig.Peer p = peers.get(i);
            List<Prefix> kept = new ArrayList<>();
            for (Prefix a : p.allowedIps()) {
                WireGuardConfig.Peer later = null;
                for (int j = i + 1; j < peers.size() && later == null; j++)
                    if (peers.get(j).allowedIps().contains(a)) later = peers.get(j);
                if (later == null) { if (!kept.contains(a)) kept.add(a); continue; }
                problems.add(new Problem(p.allowedIpsSource(),
                        Message.of(Sentences.WG_ALLOWED_IPS_TAKEN_BY_LATER_PEER, a, later.source().line())));
            }
            out.add(kept.size() == p.allowedIps().size() ? p : new WireGuardConfig.Peer(p.publicKey(), p.endpointAddr(),
                    p.endpointPort(), kept, p.source(), p.allowedIpsSource(), p.endpointHost(), p.persistentKeepalive()));
        }
        return out;
    }

    /** An Endpoint's host (an address or a name, without brackets and zone), its zone ("%eth0") or null, and port. */
    record Endpoint(String host, String zone, int port) {}

    /**
     * config.c parse_endpoint: "[ADDR]:PORT" (an IPv6 address, as `wg showconf` prints it), else the text up to its
     * last ':' is the host ("2001:db8::1:51820" is 2001:db8::1 port 51820, as wg takes it). A zone ("%eth0") follows
     * a link-local address inside the brackets.
     */
    static Endpoint endpoint(String value, String file, int line) {
        String host, port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) throw new InputException(file, line, "Unable to find matching brace of endpoint: " + value);
            host = value.substring(1, close);
            if (close + 1 >= value.length() - 1 || value.charAt(close + 1) != ':')
                throw new InputException(file, line, "Unable to find port of endpoint: " + value);
            port = value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon < 0 || colon == value.length() - 1) throw new InputException(file, line, "Unable to find port of endpoint: " + value);
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        String zone = null;
        int percent = host.indexOf('%');
        if (percent >= 0) {
            zone = host.substring(percent);
            host = host.substring(0, percent);
        }
        if (host.isEmpty()) throw new InputException(file, line, "Endpoint without a host: " + value);
        if (host.indexOf(':') >= 0 && !Ip.isAddress(host))
            throw new InputException(file, line, "Endpoint: not an IPv6 address: " + host);
        return new Endpoint(host, zone, number(port, file, line, 65535));
    }

    /** config_read_line: the line up to its first '#', without any blank. */
    private static String clean(String line) {
        int hash = line.indexOf('#');
        String s = hash < 0 ? line : line.substring(0, hash);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) if (!Character.isWhitespace(s.charAt(i))) out.append(s.charAt(i));
        return out.toString();
    }

    /** wg-quick's value: the text after the first '=' of the line up to its first '#', trimmed. */
    private static String quickValue(String raw) {
        int hash = raw.indexOf('#');
        String stripped = hash < 0 ? raw : raw.substring(0, hash);
        return stripped.substring(stripped.indexOf('=') + 1).strip();
    }

    /** wg-quick's unstripped_value: a hook keeps its '#', which bash then reads as a comment or not. */
    private static String hookValue(String raw) {
        return raw.substring(raw.indexOf('=') + 1).strip();
    }

    /** Collectors and people hide keys as "(redacted)", "(hidden)", "REDACTED" or leave them empty. */
    private static boolean redacted(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        return l.isEmpty() || l.startsWith("(") || l.contains("redacted") || l.contains("hidden");
    }

    private static int number(String v, String file, int line, int max) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n < 0 || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new InputException(file, line, "not a number from 0 to " + max + ": " + v);
        }
    }

    private static long parseMark(String v, String file, int line) {
        try {
            return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InputException(file, line, "not a fwmark: " + v);
        }
    }

    private static String key(String v, String file, int line) {
        byte[] k;
        try { k = Base64.getDecoder().decode(v); } catch (IllegalArgumentException e) {
            throw new InputException(file, line, "not a base64 WireGuard key");
        }
        if (k.length != 32) throw new InputException(file, line, "a WireGuard key has 32 bytes, this one " + k.length);
        return v;
    }

    /** X25519(private, 9): what `wg pubkey` prints. */
    public static String derivePublicKey(String privateKeyBase64, String file, int line) {
        byte[] scalar = Base64.getDecoder().decode(key(privateKeyBase64, file, line));
        try {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            PublicKey base = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9)));
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(priv);
            ka.doPhase(base, true);
            return Base64.getEncoder().encodeToString(ka.generateSecret());
        } catch (GeneralSecurityException e) {
            throw new InputException(file, line, "cannot derive the public key: " + e.getMessage());
        }
    }
}
