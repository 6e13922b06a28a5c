package roundtrip.cli;

import org.junit.jupiter.api.Test;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.model.Probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** --from/--to/--proto/--dport/--src as trace and why read them, for both families (design §1c). */
class ProbeOptionsTest {
    private static ProbeOptions options(String to, String proto, Integer dport, String src) {
        ProbeOptions o = new ProbeOptions();
        o.from = "client";
        o.to = to;
        o.proto = proto;
        o.dport = dport;
        o.src = src;
        return o;
    }

    private static String error(String to, String proto, Integer dport, String src) {
        return catchThrowableOfType(() -> options(to, proto, dport, src).parse("cli"), InputException.class).oneLine();
    }

    @Test
    void anIpv6DestinationWithItsPortInBracketsOrBare() {
        Probe ssh = options("[2001:db8::10]:22", "tcp", null, null).parse("cli");
        assertThat(ssh.dst()).isEqualTo(Ip.parse("2001:db8::10"));
        assertThat(ssh.dport()).isEqualTo(22);
        assertThat(ssh.proto()).isEqualTo(Packet.TCP);
        Probe ping = options("2001:db8::10", "icmp", null, "2001:db8:1::2").parse("cli");
        assertThat(ping.dst()).isEqualTo(Ip.parse("2001:db8::10"));
        assertThat(ping.src()).isEqualTo(Ip.parse("2001:db8:1::2"));
        assertThat(ping.dport()).isZero();
        // ping -6 by its other names: the probe is a ping of the destination's family
        assertThat(options("2001:db8::10", "icmpv6", null, null).parse("cli").proto()).isEqualTo(Packet.ICMP);
        assertThat(options("[2001:db8::10]", "udp", 53, null).parse("cli").dport()).isEqualTo(53);
        assertThat(options("10.0.0.1:22", "tcp", null, null).parse("cli").dst()).isEqualTo(Ip.parse("10.0.0.1"));
    }

    @Test
    void contradictionsAreRefused() {
        assertThat(error("[2001:db8::10]:22", "icmp", null, null))
                .isEqualTo("--to: a port (22) but the probe is icmp: add --proto tcp or --proto udp");
        assertThat(error("[2001:db8::10]:22", "tcp", 80, null)).isEqualTo("--to: --to says port 22 but --dport says 80");
        assertThat(error("2001:db8::10", "tcp", 22, "10.0.0.2")).isEqualTo("--src: 10.0.0.2 is IPv4 but --to 2001:db8::10 is IPv6");
        assertThat(error("10.0.0.1", "icmpv6", null, null)).isEqualTo("--proto: proto icmpv6 to the IPv4 address 10.0.0.1: ICMPv6 is IPv6's (use icmp)");
        assertThat(error("[2001:db8::10:22", "tcp", null, null)).isEqualTo("--to: no closing ] in [2001:db8::10:22");
        assertThat(error("fe80::1%eth0", "icmp", null, null)).startsWith("--to: a zone (%eth0) in fe80::1%eth0 is not taken");
        assertThat(error("2001:db8::10::1", "icmp", null, null)).isEqualTo("--to: not an IPv6 address: 2001:db8::10::1");
    }
}
