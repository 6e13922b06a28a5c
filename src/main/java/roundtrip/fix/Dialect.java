package roundtrip.fix;

import roundtrip.model.Host;
import roundtrip.netfilter.iptables.IptablesRuleset;

/** How a host is administered, which decides where a change must go to survive a reboot. */
public enum Dialect {
    /** Debian/Ubuntu and most distributions: ifupdown or netplan, iptables-persistent, sysctl.d */
    LINUX,
    /** OpenWrt: uci (/etc/config/network, /etc/config/firewall) */
    OPENWRT,
    /** A general Linux host whose iptables rules ufw makes (its chains ufw-before-forward, ufw-user-forward, ...) */
    UFW,
    /** A general Linux host whose iptables rules firewalld makes (its chains POSTROUTING_ZONES, FORWARD_IN_ZONES, ...) */
    FIREWALLD;

    /**
     * OpenWrt: a firewall generated from /etc/config/firewall, fw4's table inet fw4, or fw3's chains zone_*; ufw and
     * firewalld (its iptables backend) by the chains they make; everything else is taken to be a general Linux host.
     */
    public static Dialect of(Host host) {
        if (host.firewallConfig() != null || Fw4.ruleset(host) != null) return OPENWRT;
        roundtrip.netfilter.Ruleset nftPart = host.firewall().nftPart();
        if (nftPart instanceof roundtrip.netfilter.nft.NftRuleset nft && nft.tableNames().contains("inet firewalld")) return FIREWALLD;
        roundtrip.netfilter.Ruleset fw = host.firewall().iptablesPart();
        if (fw instanceof IptablesRuleset rs) {
            for (String table : rs.tableNames())
                for (String chain : rs.chainNames(table)) {
                    if (chain.startsWith("zone_")) return OPENWRT;
                    if (chain.startsWith("ufw-")) return UFW;
                    if (chain.equals("FORWARD_IN_ZONES") || chain.equals("POSTROUTING_ZONES")) return FIREWALLD;
                }
        }
        return LINUX;
    }
}
