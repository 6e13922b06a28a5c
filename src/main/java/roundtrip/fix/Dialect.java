package roundtrip.fix;

import roundtrip.model.Host;
import roundtrip.netfilter.iptables.IptablesRuleset;

/** How a host is administered, which decides where a change must go to survive a reboot. */
public enum Dialect {
    /** Debian/Ubuntu and most distributions: ifupdown or netplan, iptables-persistent, sysctl.d */
    LINUX,
    /** OpenWrt: uci (/etc/config/network, /etc/config/firewall) */
    OPENWRT;

    /**
     * OpenWrt: a firewall generated from /etc/config/firewall, fw4's table inet fw4, or fw3's chains zone_*; everything
     * else is taken to be a general Linux host.
     */
    public static Dialect of(Host host) {
        if (host.firewallConfig() != null || Fw4.ruleset(host) != null) return OPENWRT;
        if (host.firewall() instanceof IptablesRuleset rs) {
            for (String table : rs.tableNames())
                for (String chain : rs.chainNames(table)) if (chain.startsWith("zone_")) return OPENWRT;
        }
        return LINUX;
    }
}
