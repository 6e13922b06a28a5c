package roundtrip.importer;

import roundtrip.model.Text;

import java.util.Set;
import java.util.regex.Pattern;

/** Key material in an OpenVPN config: never kept in the model, never written into a snapshot. */
public final class OpenVpnSecrets {
    private OpenVpnSecrets() {}

    /** Directives that carry key material or name files holding it. */
    private static final Set<String> SECRET_DIRECTIVES = Set.of(
            "ca", "cert", "key", "dh", "tls-auth", "tls-crypt", "tls-crypt-v2", "secret", "pkcs12", "extra-certs", "crl-verify");
    private static final Pattern INLINE_OPEN = Pattern.compile("^\\s*<([a-z0-9-]+)>\\s*$");

    /** The config without key material: those directives' lines and inline blocks such as {@code <key>...</key>}. */
    public static String strip(String config) {
        StringBuilder out = new StringBuilder();
        String inlineBlock = null;
        for (String line : config.split("\n")) {
            if (inlineBlock != null) {
                if (line.strip().equals("</" + inlineBlock + ">")) inlineBlock = null;
                continue;
            }
            var open = INLINE_OPEN.matcher(line);
            if (open.matches()) {
                inlineBlock = open.group(1);
                continue;
            }
            if (SECRET_DIRECTIVES.contains(directive(line))) continue;
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** The directive a config line starts with ("--key" counts as "key"); "" for blank lines. */
    public static String directive(String line) {
        String t = line.strip();
        if (t.startsWith("--")) t = t.substring(2);
        return t.isEmpty() ? "" : Text.words(t)[0];
    }
}
