package roundtrip.importer;

import roundtrip.model.Address;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.model.TunnelConfig;
import roundtrip.model.WireGuardConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * What a host holds of IPv6. It is loaded into the model with its family, where no IPv4 lookup, rule or check ever
 * sees it; until IPv6 is simulated, one warning per host names what was loaded, so nothing is set aside silently.
 * The state every Linux host has without being configured (::1, link-local addresses and their routes, ff00::/8;
 * {@link KernelRoutes#isAutomatic}) is loaded too but not named: it says nothing about the host.
 */
final class Ipv6Content {
    private Ipv6Content() {}

    /**
     * The warning for a host, or null when it has no IPv6 content. The kernel's default IPv6 rules are not counted:
     * every IPv6 host has them, configured or not.
     */
    static Problem warning(Source where, List<Interface> interfaces, List<Route> routes, List<Rule> rules,
                           List<TunnelConfig> tunnels, int ip6tablesRules) {
        int addresses = 0, routeCount = 0, ruleCount = 0, allowedIps = 0, openVpn = 0;
        for (Interface i : interfaces)
            for (Address a : i.addresses()) if (a.family() == Ip.Family.IPV6 && !KernelRoutes.isAutomatic(a)) addresses++;
        for (Route r : routes) if (r.family() == Ip.Family.IPV6 && !KernelRoutes.isAutomatic(r)) routeCount++;
        List<Rule> defaults = Rule.kernelDefaults(Ip.Family.IPV6, Source.NONE);
        for (Rule r : rules)
            if (r.family() == Ip.Family.IPV6 && defaults.stream().noneMatch(d -> d.equals(r.withSource(Source.NONE)))) ruleCount++;
        for (TunnelConfig t : tunnels) {
            if (t instanceof WireGuardConfig wg)
                for (WireGuardConfig.Peer p : wg.peers())
                    for (Prefix a : p.allowedIps()) if (a.family() == Ip.Family.IPV6) allowedIps++;
            if (t instanceof OpenVpnConfig o) openVpn += openVpnSettings(o);
        }
        List<String> items = new ArrayList<>();
        count(items, addresses, "IPv6 address", "IPv6 addresses");
        count(items, routeCount, "IPv6 route", "IPv6 routes");
        count(items, ruleCount, "IPv6 rule", "IPv6 rules");
        count(items, ip6tablesRules, "ip6tables rule", "ip6tables rules");
        count(items, allowedIps, "IPv6 WireGuard AllowedIPs", "IPv6 WireGuard AllowedIPs");
        count(items, openVpn, "OpenVPN IPv6 setting", "OpenVPN IPv6 settings");
        if (items.isEmpty()) return null;
        return new Problem(where, String.join(", ", items) + " loaded; IPv6 is not simulated yet");
    }

    /** server-ipv6, ifconfig-ipv6, route-ipv6 and the CCD files' iroute-ipv6 of one OpenVPN instance. */
    private static int openVpnSettings(OpenVpnConfig o) {
        int n = 0;
        if (o.ipv6() != null) {
            if (o.ipv6().server() != null) n++;
            if (o.ipv6().ifconfigLocal() != null && o.ipv6().server() == null) n++;   // server-ipv6 sets it: one setting
        }
        for (OpenVpnConfig.RouteOption r : o.routes()) if (r.net().family() == Ip.Family.IPV6) n++;
        for (OpenVpnConfig.Ccd c : o.ccds())
            for (OpenVpnConfig.Iroute i : c.iroutes()) if (i.net().family() == Ip.Family.IPV6) n++;
        return n;
    }

    private static void count(List<String> items, int n, String one, String many) {
        if (n > 0) items.add(n + " " + (n == 1 ? one : many));
    }
}
