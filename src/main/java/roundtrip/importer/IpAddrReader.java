package roundtrip.importer;

import roundtrip.model.Address;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Problem;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads `ip -j -d addr show` into interfaces with their addresses of both families ("family": "inet" and "inet6";
 * other families, such as an MPLS or a CAN device's, have no IP address to read).
 */
public final class IpAddrReader {
    private IpAddrReader() {}

    /**
     * @param file     name for messages, e.g. "snap/router/ip-addr.json"
     * @param problems receives what was read but cannot be fully modelled
     */
    public static List<Interface> read(String file, String text, List<Problem> problems) {
        LocatedJson doc = LocatedJson.parse(file, text);
        List<Interface> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonObject o : JsonObject.objects(doc, doc.rootArray(), 1)) {
            Interface i = readInterface(o, problems);
            if (!names.add(i.name())) throw o.error("interface \"" + i.name() + "\" listed twice");
            out.add(i);
        }
        return out;
    }

    private static Interface readInterface(JsonObject o, List<Problem> problems) {
        String name = o.requiredString("ifname");
        if (name.isEmpty()) throw o.error("empty \"ifname\"");
        int index = o.intValue("ifindex", 0);
        List<String> flags = o.strings("flags");
        String linkType = o.string("link_type");
        JsonObject linkInfo = o.object("linkinfo");
        String kind = linkInfo == null ? null : linkInfo.string("info_kind");
        // lo has no linkinfo; a physical NIC has none either (kind stays null for it)
        if (kind == null && "loopback".equals(linkType)) kind = "loopback";
        boolean up = flags.contains("UP");
        boolean noArp = flags.contains("NOARP") || "none".equals(linkType);
        if (up && !flags.contains("LOWER_UP"))
            problems.add(new Problem(new Source(o.file(), o.line(), name),
                    Message.of(Sentences.NO_CARRIER, name, String.join(",", flags))));
        String mac = o.string("address");
        int mtu = o.intValue("mtu", 1500);
        List<Address> addresses = new ArrayList<>();
        for (JsonObject a : o.objects("addr_info")) {
            Ip.Family family = Ip.Family.ofIproute(a.string("family"));
            if (family == null) continue;
            Ip local = a.ipValue(a.requiredString("local"));
            if (local.family() != family) throw a.error("\"local\" " + local + " of a \"" + a.string("family") + "\" address");
            Long prefixLen = a.integer("prefixlen");
            if (prefixLen == null) throw a.error("address " + a.string("local") + " without \"prefixlen\"");
            if (prefixLen < 0 || prefixLen > family.width()) throw a.error("prefix length out of range: " + prefixLen);
            // "address" is the peer of a point-to-point address ("ip addr add A peer B"); it is only printed when
            // it differs from "local"
            Ip peer = a.ip("address");
            if (peer != null && peer.family() != family) throw a.error("peer \"address\" " + peer + " of an " + family.word() + " address");
            if (peer != null && peer.equals(local)) peer = null;
            String scope = a.string("scope");
            addresses.add(new Address(local, prefixLen.intValue(), peer, scope == null ? "global" : scope,
                    a.bool("secondary")));
        }
        return new Interface(name, index, kind, o.string("master"), up, noArp, mac, mtu, addresses);
    }
}
