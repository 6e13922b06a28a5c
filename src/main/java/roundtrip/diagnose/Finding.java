package roundtrip.diagnose;

import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Source;

/**
 * One root cause found for a probe: which cause, on which host, what decided (quoted as written, with file and
 * line) and, in {@link Facts}, what a fix needs to know about the place.
 */
public record Finding(Cause cause, String host, Message summary, Source evidence, Facts facts) {

    /**
     * What the fix generators need, all optional (null when not known or not relevant).
     *
     * @param prober       the prober's address as this host sees it (the reply's destination)
     * @param proberNet    the network of the prober as the hosts of the request path route it
     * @param inDev        the device the request came in on at this host
     * @param backVia      the neighbour the answer should be handed to (the request's previous hop), on {@code backDev}
     * @param backDev      this host's device towards {@code backVia}
     * @param localAddr    the address of this host the request was sent to
     * @param outDev       the device the packet left (or should leave) by
     * @param altHost      another host where the same kind of change would also work (e.g. the answering host)
     * @param altDev       {@code altHost}'s device towards {@code altVia}
     * @param altVia       the next hop {@code altHost} would need
     * @param natHost      the host where source NAT would make the answers come back (e.g. the VPN server)
     * @param natDev       {@code natHost}'s outgoing device for that NAT
     * @param chain        for netfilter findings: "table CHAIN" that decided
     * @param sysctlKey    for sysctl findings: the key that decided
     * @param forwardRoute the host's route the request took here, for copying into a table
     * @param table        a routing table that already routes the answer back (for policy routing findings)
     * @param match        for netfilter findings: iptables matches for the dropped packet as it was there
     * @param tunnelDev    for tunnel findings: the tunnel device on this host (wg0, tun0)
     * @param peer         for tunnel findings: the WireGuard peer's public key, or the OpenVPN client's common name
     * @param peerAddr     for tunnel findings: the tunnel's outer peer address (the VPN server a loop sends to)
     * @param lostDst      the destination the lost packet had where it was lost
     * @param ctState      the conntrack state of the lost packet where it was lost (NEW, ESTABLISHED, ...), when traced
     * @param meantFlag    for a rule meant for the packet that differs in one field: the option (-s, -d, -p, -i, -o)
     * @param meantValue   the packet's value for that option
     * @param missingNet   a network a list lacks (a WireGuard peer's AllowedIPs)
     * @param underlayPort when the lost packet was a tunnel's encrypted UDP datagram crossing this host (not the packet
     *                     inside): its destination port, the tunnel's (0 otherwise)
     */
    public record Facts(Ip prober, Prefix proberNet, String inDev, Ip backVia, String backDev, Ip localAddr,
                        String outDev, String altHost, String altDev, Ip altVia, String natHost, String natDev,
                        String chain, String sysctlKey, roundtrip.model.Route forwardRoute, Integer table, String match,
                        String tunnelDev, String peer, Ip peerAddr, Ip lostDst, String ctState, String meantFlag, String meantValue,
                        Prefix missingNet, int underlayPort) {
        /** The lost packet belonged to a connection conntrack had already seen (an answer, or a later packet). */
        public boolean established() { return ctState != null && !ctState.equals("NEW") && !ctState.equals("INVALID") && !ctState.equals("UNTRACKED"); }
        public static Facts none() { return new Builder().build(); }
    }

    /** Builds {@link Facts} field by field (most findings know only a few). */
    public static final class Builder {
        Ip prober, backVia, localAddr, altVia, peerAddr, lostDst;
        Integer table;
        Prefix proberNet;
        String inDev, backDev, outDev, altHost, altDev, natHost, natDev, chain, sysctlKey, match, tunnelDev, peer, ctState;
        roundtrip.model.Route forwardRoute;
        String meantFlag, meantValue;
        Prefix missingNet;
        int underlayPort;

        public Builder prober(Ip v) { prober = v; return this; }
        public Builder proberNet(Prefix v) { proberNet = v; return this; }
        public Builder inDev(String v) { inDev = v; return this; }
        public Builder back(Ip via, String dev) { backVia = via; backDev = dev; return this; }
        public Builder localAddr(Ip v) { localAddr = v; return this; }
        public Builder outDev(String v) { outDev = v; return this; }
        public Builder alt(String host, String dev, Ip via) { altHost = host; altDev = dev; altVia = via; return this; }
        public Builder nat(String host, String dev) { natHost = host; natDev = dev; return this; }
        public Builder chain(String v) { chain = v; return this; }
        public Builder sysctlKey(String v) { sysctlKey = v; return this; }
        public Builder forwardRoute(roundtrip.model.Route v) { forwardRoute = v; return this; }
        public Builder table(Integer v) { table = v; return this; }
        public Builder match(String v) { match = v; return this; }
        public Builder tunnel(String dev, String peerId, Ip addr) { tunnelDev = dev; peer = peerId; peerAddr = addr; return this; }
        /** the destination the lost packet had where it was lost (for "no route to it") */
        public Builder lostDst(Ip v) { lostDst = v; return this; }
        /** the conntrack state the lost packet had where it was lost */
        public Builder ct(String v) { ctState = v; return this; }
        /** a rule meant for the packet differs in option {@code flag}, whose value for the packet is {@code value} */
        public Builder meant(String flag, String value) { meantFlag = flag; meantValue = value; return this; }
        public Builder missingNet(Prefix v) { missingNet = v; return this; }
        public Builder underlayPort(int v) { underlayPort = v; return this; }

        public Facts build() {
            return new Facts(prober, proberNet, inDev, backVia, backDev, localAddr, outDev, altHost, altDev, altVia,
                    natHost, natDev, chain, sysctlKey, forwardRoute, table, match,
                    tunnelDev, peer, peerAddr, lostDst, ctState, meantFlag, meantValue, missingNet, underlayPort);
        }
    }
}
