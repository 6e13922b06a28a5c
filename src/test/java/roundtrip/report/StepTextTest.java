package roundtrip.report;

import org.junit.jupiter.api.Test;
import roundtrip.kernel.Fact;
import roundtrip.kernel.FibResult;
import roundtrip.kernel.Trace;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.TraceStep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of trace fact in words, exactly as the trace has always printed it. */
class StepTextTest {
    private static Packet syn(String src, int sport, String dst, int dport) {
        Packet p = new Packet();
        p.proto = Packet.TCP; p.tcpFlags = Packet.SYN;
        p.src = Ip.parse(src); p.sport = sport; p.dst = Ip.parse(dst); p.dport = dport;
        return p;
    }

    private static Route route(int table, RouteType type, String dst, String via, String dev, String scope) {
        return new Route(table, type, Prefix.parse(dst), via == null ? null : Ip.parse(via), dev, null, 0, scope, 0, false, Source.NONE);
    }

    private static final Route DEFAULT = route(Route.TABLE_MAIN, RouteType.UNICAST, "0.0.0.0/0", "10.0.0.1", "eth0", null);
    private static final Rule MAIN_RULE = new Rule(Ip.Family.IPV4, 32766, false, null, null, null, 0, null, null, null, "table",
            Route.TABLE_MAIN, 0, -1, Source.NONE);
    private static final Rule FWMARK_RULE = new Rule(Ip.Family.IPV4, 100, false, null, null, 0x1L, 0xffffffffL, null, null, null,
            "table", 100, 0, -1, Source.NONE);

    /** One sample of each fact and the line it prints. */
    private static Map<Fact, String> samples() {
        Map<Fact, String> m = new LinkedHashMap<>();
        Packet p = syn("10.0.0.2", 40000, "203.0.113.5", 5000);
        m.put(new Fact.Seen(true, "wan", p), "wan In IP 10.0.0.2.40000 > 203.0.113.5.5000: Flags [S]");
        m.put(new Fact.Seen(false, "lan", p), "lan Out IP 10.0.0.2.40000 > 203.0.113.5.5000: Flags [S]");
        m.put(new Fact.Routed(Fact.Decision.OUTPUT, new FibResult(DEFAULT, MAIN_RULE, RouteType.UNICAST, false), Ip.parse("10.0.0.2")),
                "default via 10.0.0.1 dev eth0 (source 10.0.0.2)");
        Route lan = route(Route.TABLE_MAIN, RouteType.UNICAST, "192.168.1.0/24", null, "lan", "link");
        m.put(new Fact.Routed(Fact.Decision.FORWARD, new FibResult(lan, FWMARK_RULE, RouteType.UNICAST, false), null),
                "forward: 192.168.1.0/24 dev lan scope link (via rule 100: from all fwmark 0x1 lookup 100)");
        Route local = route(Route.TABLE_LOCAL, RouteType.LOCAL, "203.0.113.5/32", null, "eth0", "host");
        m.put(new Fact.Routed(Fact.Decision.LOCAL_DELIVERY, new FibResult(local, null, RouteType.LOCAL, false), null),
                "local delivery: local 203.0.113.5 dev eth0 table local scope host");
        m.put(new Fact.Routed(Fact.Decision.REROUTE, new FibResult(DEFAULT, null, RouteType.UNICAST, false), null),
                "re-route after mark/destination change: default via 10.0.0.1 dev eth0");
        m.put(new Fact.RuleHit(TraceStep.Family.IPTABLES, "nat", "POSTROUTING", "SNAT to 198.51.100.1",
                new NatAction(NatAction.Type.SNAT, Ip.parse("198.51.100.1"), Ip.parse("198.51.100.1"), 0, 0)),
                "nat POSTROUTING: SNAT to 198.51.100.1");
        Packet after = p.copy();
        after.src = Ip.parse("198.51.100.1");
        m.put(new Fact.NatChange(true, false, p, after),
                "source NAT (conntrack): IP 10.0.0.2.40000 > 203.0.113.5.5000: Flags [S] -> IP 198.51.100.1.40000 > 203.0.113.5.5000: Flags [S]");
        m.put(new Fact.Tracked(CtState.ESTABLISHED, true, 0x100, p), "ESTABLISHED (reply direction), connmark 0x100");
        m.put(new Fact.Delivered(p), "delivered to a local socket: IP 10.0.0.2.40000 > 203.0.113.5.5000: Flags [S]");
        m.put(new Fact.Drop(Fact.Stage.RP_FILTER, roundtrip.model.Message.text("source 10.0.0.2 fails the reverse path check on wan"), null),
                "rp_filter: source 10.0.0.2 fails the reverse path check on wan");
        m.put(new Fact.Bridged("br0", false), "bridged by br0 (bridge-nf-call-iptables = 1: iptables saw it)");
        Packet rst = syn("203.0.113.5", 5000, "10.0.0.2", 40000);
        rst.tcpFlags = Packet.RST | Packet.ACK;
        m.put(new Fact.Sends(rst, roundtrip.model.Message.text("REJECT --reject-with tcp-reset")),
                "sends IP 203.0.113.5.5000 > 10.0.0.2.40000: Flags [R.] (REJECT --reject-with tcp-reset)");
        m.put(new Fact.Tunnel(Fact.TunnelOp.ENCRYPT, "wireguard", "wg0", "peer abc… at 203.0.113.7:51820"),
                "wireguard wg0: encrypts for peer abc… at 203.0.113.7:51820");
        Packet unreachable = new Packet();
        unreachable.proto = Packet.ICMP; unreachable.icmpType = Packet.ICMP_DEST_UNREACH; unreachable.icmpCode = 3;
        unreachable.src = Ip.parse("203.0.113.5"); unreachable.dst = Ip.parse("10.0.0.2");
        m.put(new Fact.NoListener(53, unreachable),
                "nothing listens on udp port 53: the kernel answers IP 203.0.113.5 > 10.0.0.2: ICMP port unreachable");
        m.put(new Fact.Answers(roundtrip.model.Message.text("a SYN-ACK")), "answers with a SYN-ACK");
        m.put(new Fact.Uncertain(new Problem(Source.NONE, roundtrip.model.Message.text("packet handed to user space (NFQUEUE): outcome unknown"))),
                "packet handed to user space (NFQUEUE): outcome unknown");
        return m;
    }

    @Test void everyFactReadsAsTheTraceAlwaysPrintedIt() {
        samples().forEach((fact, line) -> assertThat(StepText.of(fact)).as(fact.toString()).isEqualTo(line));
    }

    @Test void everyKindOfFactHasASample() {
        List<Class<?>> facts = new ArrayList<>(Arrays.stream(Fact.class.getPermittedSubclasses()).filter(Class::isRecord).toList());
        facts.removeAll(samples().keySet().stream().map(Object::getClass).toList());
        assertThat(facts).as("facts without a sample here").isEmpty();
    }

    @Test void theOtherWordsOfEachFact() {
        Packet p = syn("10.0.0.2", 40000, "203.0.113.5", 5000);
        p.tcpFlags = Packet.ACK;
        assertThat(StepText.of(new Fact.Tracked(CtState.INVALID, false, 0, p)))
                .isEqualTo("INVALID: conntrack cannot place this packet (flags [.] do not fit the connection state this host has seen)");
        assertThat(StepText.of(new Fact.Tracked(CtState.UNTRACKED, false, 0, p))).isEqualTo("UNTRACKED (NOTRACK)");
        assertThat(StepText.of(new Fact.Tracked(CtState.NEW, false, 0, p))).isEqualTo("NEW");
        assertThat(StepText.of(new Fact.Bridged("br0", true))).isEqualTo("while bridging on br0 (in and out by br0)");
        assertThat(StepText.of(new Fact.Tunnel(Fact.TunnelOp.DECRYPT, "openvpn", "tun0", "from client c/198.51.100.9:50123")))
                .isEqualTo("openvpn tun0: decrypted from client c/198.51.100.9:50123");
        assertThat(StepText.of(new Fact.Tunnel(Fact.TunnelOp.RELAY, "openvpn", "tun0", "client-to-client from a to b")))
                .isEqualTo("openvpn: relayed inside the daemon, client-to-client from a to b");
        assertThat(StepText.of(new Fact.Tunnel(Fact.TunnelOp.CONSUME, "wireguard", "wg0", "keepalive from peer abc…")))
                .isEqualTo("wireguard wg0: keepalive from peer abc…");
        assertThat(StepText.of(new Fact.NatChange(false, true, p, p))).startsWith("destination NAT (reply, reversed): ");
        assertThat(StepText.of(new Fact.Routed(Fact.Decision.BROADCAST,
                new FibResult(null, null, RouteType.BROADCAST, false), null))).isEqualTo("broadcast: broadcast");
    }

    @Test void theStepsKindComesFromItsFact() {
        assertThat(new Trace.Step("h", new Fact.Seen(true, "eth0", syn("10.0.0.2", 1, "10.0.0.3", 2)), Source.NONE).kind())
                .isEqualTo(Trace.Kind.IN);
        assertThat(new Fact.Drop(Fact.Stage.ARP, roundtrip.model.Message.text("no answer"), null).kind()).isEqualTo(Trace.Kind.DROP);
        assertThat(Fact.Stage.ofDaemon("wireguard")).isEqualTo(Fact.Stage.WIREGUARD);
        assertThat(Fact.Stage.RP_FILTER.word()).isEqualTo("rp_filter");
    }
}
