package roundtrip.importer;

import roundtrip.model.InputException;
import roundtrip.model.Source;
import roundtrip.model.Sysctls;
import roundtrip.model.Text;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads "key = value" lines as `sysctl` prints them (also "key=value"); blank lines and #/; comments skipped. */
public final class SysctlReader {
    private SysctlReader() {}

    public static Sysctls read(String file, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Source> sources = new LinkedHashMap<>();
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (eq < 0 || key.isEmpty() || hasWhitespace(key))
                throw InputErrors.at(file, i + 1, "expected \"key = value\": " + abbreviate(line));
            key = deviceKey(key);
            // values may be empty ("key =") or hold tabs ("4096\t131072\t6291456"), kept as printed
            String value = line.substring(eq + 1).strip();
            values.put(key, value);
            sources.put(key, new Source(file, i + 1, key + " = " + value));
        }
        return new Sysctls(values, sources);
    }

    /**
     * A per-device key as sysctl(8) prints it: the device's dots as slashes (net.ipv4.conf.eth0/100.rp_filter). Collectors
     * before issue 10 wrote the /proc path with every slash a dot (net.ipv4.conf.eth0.100.rp_filter); the setting is the
     * last word, so what lies between "conf." and it is the device.
     */
    static String deviceKey(String key) {
        for (String prefix : new String[] {"net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.", "net.ipv6.neigh."}) {
            if (!key.startsWith(prefix)) continue;
            int last = key.lastIndexOf('.');
            if (last <= prefix.length()) return key;
            return prefix + key.substring(prefix.length(), last).replace('.', '/') + key.substring(last);
        }
        return key;
    }

    private static boolean hasWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return true;
        return false;
    }

    static String abbreviate(String s) { return s.length() > 80 ? s.substring(0, 77) + "..." : s; }
}
