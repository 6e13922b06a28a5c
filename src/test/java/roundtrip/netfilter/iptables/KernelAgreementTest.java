package roundtrip.netfilter.iptables;

import roundtrip.netfilter.Pkt;

import org.junit.jupiter.api.Test;
import roundtrip.model.Packet;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.TraceStep;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kernel-counters-3-pings.txt is `iptables-save -c` from a namespace that answered three pings (10.9.0.1 -> 10.9.0.2)
 * with counting-only rules in raw, mangle (conntrack states in raw, --ctdir, --ctstatus, CONNMARK, -f). Replaying
 * the same packets through the model must count the same packets per rule.
 */
class KernelAgreementTest {

    @Test
    void threePingsCountLikeTheKernel() {
        String text = IptablesSaveParserTest.resource("kernel-counters-3-pings.txt");
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("k", text);
        Map<Integer, Integer> counted = new HashMap<>();
        long ctMark = 0;
        for (int i = 0; i < 3; i++) {
            CtState state = i == 0 ? CtState.NEW : CtState.ESTABLISHED;
            // the echo request arriving: raw PREROUTING, mangle PREROUTING, mangle INPUT
            Pkt request = Pkt.icmp("10.9.0.1", "10.9.0.2", Packet.ICMP_ECHO, 0).in("rtv1").state(state).ctMark(ctMark);
            PacketContext pre = request.hook(Hook.PREROUTING).ctx();
            rs.evaluate("raw", Hook.PREROUTING, pre);
            count(pre, counted);
            PacketContext mangle = request.hook(Hook.PREROUTING).ctx();
            rs.evaluate("mangle", Hook.PREROUTING, mangle);
            count(mangle, counted);
            ctMark = mangle.ctMark;
            PacketContext input = request.hook(Hook.INPUT).ctMark(ctMark).ctx();
            rs.evaluate("mangle", Hook.INPUT, input);
            count(input, counted);
            // the echo reply leaving: raw OUTPUT, mangle OUTPUT
            Pkt reply = Pkt.icmp("10.9.0.2", "10.9.0.1", Packet.ICMP_ECHO_REPLY, 0).in(null).out("rtv1")
                    .state(CtState.ESTABLISHED).reply().ctMark(ctMark).orig("10.9.0.1", "10.9.0.2");
            PacketContext rawOut = reply.hook(Hook.OUTPUT).ctx();
            rs.evaluate("raw", Hook.OUTPUT, rawOut);
            count(rawOut, counted);
            PacketContext out = reply.hook(Hook.OUTPUT).ctx();
            rs.evaluate("mangle", Hook.OUTPUT, out);
            count(out, counted);
        }
        String[] lines = text.split("\n");
        Pattern counters = Pattern.compile("^\\[(\\d+):\\d+] -A ");
        int checked = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = counters.matcher(lines[i]);
            if (!m.find()) continue;
            int kernel = Integer.parseInt(m.group(1));
            assertThat(counted.getOrDefault(i + 1, 0)).as("line %d: %s", i + 1, lines[i]).isEqualTo(kernel);
            checked++;
        }
        assertThat(checked).isEqualTo(21);
    }

    private static void count(PacketContext ctx, Map<Integer, Integer> counted) {
        for (TraceStep step : ctx.trace) {
            if (step.rule().line() > 0) counted.merge(step.rule().line(), 1, Integer::sum);
        }
    }

    /**
     * What kernel-ctstatus-tcp-udp.txt shows: SYN and SYN-ACK are not ASSURED, every later TCP segment in either
     * direction is; a short UDP exchange never is.
     */
    @Test
    void assuredStatusLikeTheKernel() {
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("k", IptablesSaveParserTest.resource("kernel-ctstatus-tcp-udp.txt"));
        assertThat(assured(rs, Pkt.tcp("10.9.0.1", "10.9.0.2", 5000).flags(Packet.SYN), Hook.INPUT)).isFalse();
        assertThat(assured(rs, Pkt.tcp("10.9.0.2", "10.9.0.1", 40000).sport(5000).flags(Packet.SYN | Packet.ACK)
                .state(CtState.ESTABLISHED).reply(), Hook.OUTPUT)).isFalse();
        assertThat(assured(rs, Pkt.tcp("10.9.0.1", "10.9.0.2", 5000).flags(Packet.ACK).state(CtState.ESTABLISHED),
                Hook.INPUT)).isTrue();
        assertThat(assured(rs, Pkt.tcp("10.9.0.2", "10.9.0.1", 40000).sport(5000).flags(Packet.ACK | Packet.PSH)
                .state(CtState.ESTABLISHED).reply(), Hook.OUTPUT)).isTrue();
        assertThat(assured(rs, Pkt.udp("10.9.0.1", "10.9.0.2", 5001), Hook.INPUT)).isFalse();
        assertThat(assured(rs, Pkt.udp("10.9.0.2", "10.9.0.1", 40000).sport(5001).state(CtState.ESTABLISHED).reply(),
                Hook.OUTPUT)).isFalse();
        assertThat(assured(rs, Pkt.udp("10.9.0.1", "10.9.0.2", 5001).state(CtState.ESTABLISHED), Hook.INPUT)).isFalse();
    }

    /** True when the packet hits one of the file's `--ctstatus ASSURED` counting rules. */
    private static boolean assured(IptablesRuleset rs, Pkt pkt, Hook hook) {
        PacketContext ctx = pkt.hook(hook).in(hook == Hook.INPUT ? "rtv1" : null).ctx();
        rs.evaluate("mangle", hook, ctx);
        return ctx.trace.stream().anyMatch(s -> s.rule().text().contains("ASSURED"));
    }
}
