package roundtrip.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a generated network as a snapshot directory (design §1a: topology.json and per host ip-addr.json,
 * ip-route.json, ip-rule.json, iptables-save.txt, sysctl.txt, ss-listen.txt) in the shape `ip -j` and friends
 * print, plus probes.json, so whole `roundtrip check` runs can be timed on a large input.
 */
public final class SnapshotWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SnapshotWriter() {}

    public static void write(NetworkGenerator.Generated g, Path dir) {
        try {
            Files.createDirectories(dir);
            List<Object> segs = new ArrayList<>();
            for (Segment s : g.network().segments()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("name", s.name());
                o.put("members", s.members().stream().map(Segment.Attachment::toString).toList());
                segs.add(o);
            }
            JSON.writeValue(dir.resolve("topology.json").toFile(), Map.of("segments", segs));
            for (Host h : g.network().hosts().values()) {
                Path hd = dir.resolve(h.name());
                Files.createDirectories(hd);
                JSON.writeValue(hd.resolve("ip-addr.json").toFile(), addrs(h));
                JSON.writeValue(hd.resolve("ip-route.json").toFile(), routes(h));
                JSON.writeValue(hd.resolve("ip-rule.json").toFile(), rules(h));
                String ipt = g.iptablesSave().get(h.name());
                if (ipt != null) Files.writeString(hd.resolve("iptables-save.txt"), ipt);
                StringBuilder sysctl = new StringBuilder();
                h.sysctls().all().forEach((k, v) -> sysctl.append(k).append(" = ").append(v).append('\n'));
                Files.writeString(hd.resolve("sysctl.txt"), sysctl);
                if (h.listeners() != null) Files.writeString(hd.resolve("ss-listen.txt"), listeners(h.listeners()));
            }
            JSON.writeValue(dir.resolve("probes.json").toFile(), probes(g.probes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Object> addrs(Host h) {
        List<Object> out = new ArrayList<>();
        for (Interface i : h.interfaces().values()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("ifindex", i.index());
            o.put("ifname", i.name());
            o.put("flags", i.isLoopback() ? List.of("LOOPBACK", "UP", "LOWER_UP") : List.of("BROADCAST", "MULTICAST", "UP", "LOWER_UP"));
            o.put("mtu", i.mtu());
            o.put("operstate", i.isLoopback() ? "UNKNOWN" : "UP");
            o.put("link_type", i.isLoopback() ? "loopback" : "ether");
            o.put("address", i.mac());
            List<Object> ai = new ArrayList<>();
            for (Address a : i.addresses()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("family", a.local().isV4() ? "inet" : "inet6");
                x.put("local", String.valueOf(a.local()));
                x.put("prefixlen", a.prefixLen());
                if (a.local().isV4() && a.prefixLen() < 31 && !i.isLoopback())
                    x.put("broadcast", a.local().lastOf(a.prefixLen()).toString());
                x.put("scope", a.scope());
                x.put("label", i.name());
                ai.add(x);
            }
            o.put("addr_info", ai);
            out.add(o);
        }
        return out;
    }

    private static List<Object> routes(Host h) {
        List<Object> out = new ArrayList<>();
        for (Route r : h.routes()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("type", r.type().word());
            o.put("dst", r.dst().len() == 0 ? "default" : r.dst().toString());
            if (r.gateway() != null) o.put("gateway", String.valueOf(r.gateway()));
            if (r.dev() != null) o.put("dev", r.dev());
            o.put("table", Route.tableName(r.table()));
            o.put("protocol", r.table() == Route.TABLE_LOCAL || "link".equals(r.scope()) && r.type() == RouteType.UNICAST ? "kernel" : "static");
            o.put("scope", r.scope());
            if (r.prefSrc() != null) o.put("prefsrc", String.valueOf(r.prefSrc()));
            if (r.metric() != 0) o.put("metric", r.metric());
            o.put("flags", List.of());
            out.add(o);
        }
        return out;
    }

    private static List<Object> rules(Host h) {
        List<Object> out = new ArrayList<>();
        for (Rule r : h.rules()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("priority", r.priority());
            if (r.from() == null || r.from().len() == 0) o.put("src", "all");
            else {
                o.put("src", String.valueOf(r.from().addr()));
                if (r.from().len() != 32) o.put("srclen", r.from().len());
            }
            if (r.fwmark() != null) {
                o.put("fwmark", "0x" + Long.toHexString(r.fwmark()));
                if (r.fwmask() != 0xffffffffL) o.put("fwmask", "0x" + Long.toHexString(r.fwmask()));
            }
            o.put("table", Route.tableName(r.table()));
            out.add(o);
        }
        return out;
    }

    private static String listeners(List<Listener> ls) {
        StringBuilder sb = new StringBuilder();
        for (Listener l : ls) {
            String addr = l.address() == null ? "0.0.0.0" : String.valueOf(l.address());
            sb.append(l.proto() == Packet.TCP ? "tcp LISTEN 0      128" : "udp UNCONN 0      0")
                    .append("  ").append(addr).append(':').append(l.port()).append("  0.0.0.0:*\n");
        }
        return sb.toString();
    }

    private static List<Object> probes(List<Probe> probes) {
        List<Object> out = new ArrayList<>();
        for (Probe p : probes) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", p.id());
            o.put("from", p.from());
            o.put("to", String.valueOf(p.dst()));
            o.put("proto", p.protoName());
            if (p.proto() != Packet.ICMP) o.put("dport", p.dport());
            if (p.target() != null) o.put("target", p.target());
            out.add(o);
        }
        return out;
    }
}
