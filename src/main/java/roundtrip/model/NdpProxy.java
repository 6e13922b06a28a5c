package roundtrip.model;

/**
 * One entry of the IPv6 neighbour proxy table ({@code ip -6 neigh add proxy ADDR dev DEV}): with
 * {@code net.ipv6.conf.DEV.proxy_ndp = 1} the host answers neighbour solicitations for ADDR arriving on DEV
 * (ndisc_recv_ns: pneigh_lookup), so the neighbours on DEV send it the packets for ADDR.
 */
public record NdpProxy(Ip address, String dev, Source source) {}
