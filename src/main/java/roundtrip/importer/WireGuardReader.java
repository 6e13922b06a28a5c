package roundtrip.importer;

import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Source;
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

    public static WireGuardConfig read(String file, String device, String text, List<Problem> problems) {
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
        int epPort = 0;
        List<Prefix> allowed = new ArrayList<>();
        Source allowedSource = Source.NONE;

        Map<String, String> derived = new HashMap<>();   // a key repeated in the file is derived once
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i <= lines.length; i++) {
            String raw = i < lines.length ? lines[i] : "[End]";
            int lineNo = i + 1;
            String line = raw.strip();
            boolean commentedPublicKey = line.startsWith("#") && COMMENTED_PUBLIC_KEY.matcher(line).matches();
            if (commentedPublicKey) line = line.substring(1).strip();
            else if (line.startsWith("#") || line.isEmpty()) continue;
            if (line.startsWith("[")) {
                if ("Peer".equals(section))
                    peers.add(new WireGuardConfig.Peer(peerKey, epAddr, epPort, allowed, sectionSource, allowedSource));
                section = line.replaceAll("[\\[\\]]", "").strip();
                sectionSource = new Source(file, lineNo, line);
                if (section.equals("Interface")) interfaceSource = sectionSource;
                else if (!section.equals("Peer") && !section.equals("End"))
                    throw new InputException(file, lineNo, "unknown section " + line + " (expected [Interface] or [Peer])");
                peerKey = null; epAddr = null; epPort = 0; allowed = new ArrayList<>(); allowedSource = Source.NONE;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) throw new InputException(file, lineNo, "expected \"Key = Value\", got: " + line);
            if (section == null) throw new InputException(file, lineNo, "a setting before [Interface]");
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            Source here = new Source(file, lineNo, raw.strip());
            if (section.equals("Interface")) {
                switch (key) {
                    case "privatekey" -> {
                        final int at = lineNo;
                        if (!redacted(value)) publicKey = derived.computeIfAbsent(value, v -> derivePublicKey(v, file, at));
                    }
                    case "publickey" -> publicKey = redacted(value) ? publicKey : key(value, file, lineNo);
                    case "listenport" -> listenPort = number(value, file, lineNo, 65535);
                    case "fwmark" -> fwmark = value.equals("off") ? 0 : parseMark(value, file, lineNo);
                    // wg-quick settings: their effect (addresses, routes, rules) is in the collected state
                    case "address", "dns", "mtu", "table", "preup", "postup", "predown", "postdown", "saveconfig" -> { }
                    default -> problems.add(new Problem(here, "unknown [Interface] setting \"" + key + "\" ignored"));
                }
            } else {
                switch (key) {
                    case "publickey" -> {
                        if (redacted(value)) problems.add(new Problem(here, "peer public key is redacted: this peer cannot be paired with a host"));
                        else peerKey = key(value, file, lineNo);
                    }
                    case "endpoint" -> {
                        int colon = value.lastIndexOf(':');
                        if (colon < 0) throw new InputException(file, lineNo, "Endpoint needs host:port, got " + value);
                        String hostPart = value.substring(0, colon).replace("[", "").replace("]", "");
                        if (Ip.isAddress(hostPart) && Ip.parse(hostPart).isV6()) {
                            problems.add(new Problem(here, "Endpoint is an IPv6 address and IPv6 is not simulated yet: peer has no endpoint"));
                        } else if (!Ip.isV4Address(hostPart)) {
                            problems.add(new Problem(here, "Endpoint is not an IPv4 address (names are not resolved): peer has no endpoint"));
                        } else {
                            epAddr = Ip.parseV4(hostPart);
                            epPort = number(value.substring(colon + 1), file, lineNo, 65535);
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
                    case "presharedkey", "persistentkeepalive" -> { }
                    default -> problems.add(new Problem(here, "unknown [Peer] setting \"" + key + "\" ignored"));
                }
            }
        }
        if (publicKey == null)
            problems.add(new Problem(interfaceSource, device + ": no PrivateKey or PublicKey: other hosts' peers cannot be paired with it"));
        return new WireGuardConfig(device, publicKey, listenPort, fwmark, peers, interfaceSource);
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
