package roundtrip.fix;

import roundtrip.model.Host;
import roundtrip.netfilter.iptables.IptablesRuleset;

/** How a host is administered, which decides where a change must go to survive a reboot. */
public enum Dialect {
    /** Debian/Ubuntu and most distributions: ifupdown or netplan, iptables-persistent, sysctl.d */
    LINUX,
    /** OpenWrt: uci (/etc/config/network, /etc/config/firewall) */
    OPENWRT;

    /** OpenWrt's firewall (fw3) names its chains zone_*; everything else is taken to be a general Linux host. */
    public static Dialect of(Host host) {
        if (host.firewall() instanceof IptablesRuleset rs) {
            for (String table : rs.tableNames())
                for (String chain : rs.chainNames(table)) if (chain.startsWith("zone_")) return OPENWRT;
        }
        return LINUX;
    }
}
