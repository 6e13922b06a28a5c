package roundtrip.importer;

import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.NdpProxy;
import roundtrip.model.Problem;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads `ip -6 -j neigh show proxy` (ip6-neigh-proxy.json): one object per proxy entry, {"dst": ADDR, "dev": DEV,
 * "proxy": null}, as iproute2's print_neigh writes a pneigh entry. An IPv4 entry (`ip -j neigh show proxy` lists the
 * ARP table's too) is reported and not read: this file is the IPv6 table.
 */
public final class NdpProxyReader {
    private NdpProxyReader() {}

    /** @param interfaces the host's, from ip-addr.json: an entry on another device cannot come from the same host */
    public static List<NdpProxy> read(String file, String text, List<Interface> interfaces, List<Problem> problems) {
        LocatedJson doc = LocatedJson.parse(file, text);
        List<NdpProxy> out = new ArrayList<>();
        for (JsonObject o : JsonObject.objects(doc, doc.rootArray(), 1)) {
            Ip dst = o.ipValue(o.requiredString("dst"));
            String dev = o.requiredString("dev");
            Source source = new Source(file, o.line(), dst + " dev " + dev + " proxy");
            if (dst.isV4()) {
                problems.add(new Problem(source, Message.of(Sentences.NDP_PROXY_IPV4_ENTRY)));
                continue;
            }
            if (interfaces.stream().noneMatch(i -> i.name().equals(dev)))
                throw o.error("proxy entry on device \"" + dev + "\", which ip-addr.json does not list");
            out.add(new NdpProxy(dst, dev, source));
        }
        return out;
    }
}
