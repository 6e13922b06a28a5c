package roundtrip.importer;

import roundtrip.model.Interface;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.model.TunnelConfig;

import java.util.List;

/**
 * What a host holds of IPv6 that the model does not carry yet. Addresses, routes, rules, WireGuard's AllowedIPs and
 * endpoints and OpenVPN's IPv6 side are loaded into the model with their family and followed like IPv4's, so they are
 * no longer named here; ip6tables rules that are read for their structure only (Ip6tablesSave, a wg-quick hook's
 * ip6tables command) still are, in one warning per host, so nothing is set aside silently.
 */
final class Ipv6Content {
    private Ipv6Content() {}

    /** The warning for a host, or null when nothing of its IPv6 was set aside. */
    static Problem warning(Source where, List<Interface> interfaces, List<Route> routes, List<Rule> rules,
                           List<TunnelConfig> tunnels, int ip6tablesRules) {
        if (ip6tablesRules == 0) return null;
        return new Problem(where, ip6tablesRules + " " + (ip6tablesRules == 1 ? "ip6tables rule" : "ip6tables rules")
                + " loaded; IPv6 is not simulated yet");
    }
}
