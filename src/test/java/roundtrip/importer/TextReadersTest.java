package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Packet;
import roundtrip.model.Problem;
import roundtrip.model.Sysctls;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** sysctl.txt and ss-listen.txt. */
class TextReadersTest {
    @Test
    void sysctlLines() {
        Sysctls s = SysctlReader.read("h/sysctl.txt", "# collected by hand\n\nnet.ipv4.ip_forward = 1\n"
                + "net.ipv4.conf.eth0/100.rp_filter=2\r\n; old style comment\nnet.ipv4.tcp_rmem = 4096\t131072\t6291456\n"
                + "kernel.domainname = \n");
        assertThat(s.ipForward()).isTrue();
        assertThat(s.rpFilter("eth0.100")).isEqualTo(2);
        assertThat(s.get("net.ipv4.tcp_rmem")).isEqualTo("4096\t131072\t6291456");
        assertThat(s.get("kernel.domainname")).isEmpty();
        assertThat(s.source("net.ipv4.conf.eth0/100.rp_filter").where()).isEqualTo("h/sysctl.txt:4");
    }

    @Test
    void sysctlErrors() {
        assertThat(catchThrowableOfType(() -> SysctlReader.read("s.txt", "a = 1\nsysctl: cannot stat /proc/sys/x\n"),
                InputException.class).oneLine()).isEqualTo("s.txt:2: expected \"key = value\": sysctl: cannot stat /proc/sys/x");
        assertThat(catchThrowableOfType(() -> SysctlReader.read("s.txt", "= 1"), InputException.class).line()).isEqualTo(1);
        assertThat(catchThrowableOfType(() -> SysctlReader.read("s.txt", "a b = 1"), InputException.class).line()).isEqualTo(1);
    }

    static List<Listener> ss(String text, List<Problem> problems) { return SsListenReader.read("h/ss-listen.txt", text, problems); }

    @Test
    void ssFormsFromTheBrief() {
        List<Problem> problems = new ArrayList<>();
        List<Listener> l = ss("tcp   LISTEN 0      4096         0.0.0.0:22        0.0.0.0:*\n"
                + "udp   UNCONN 0      0       127.0.0.53%lo:53        0.0.0.0:*\n"
                + "tcp   LISTEN 0      4096               *:2222            *:*\n"
                + "tcp   LISTEN 0      4096            [::]:2223         [::]:*\n"
                + "tcp   LISTEN 0      128         [fe80::1]%eth0:2224      [::]:*\n"
                + "tcp   LISTEN 0      128  [::ffff:10.0.0.5]:2225      [::]:*\n"
                + "tcp   LISTEN 0      128            :::2226         :::*\n"
                + "udp   UNCONN 0      0     10.0.0.1%eth0:123       0.0.0.0:*\n", problems);
        assertThat(l).containsExactly(
                new Listener(Packet.TCP, null, 22, Ip.Family.IPV4),
                new Listener(Packet.UDP, Ip.parse("127.0.0.53"), 53),
                new Listener(Packet.TCP, null, 2222),                       // "*": dual-stack
                new Listener(Packet.TCP, null, 2223, Ip.Family.IPV6),      // "[::]": IPV6_V6ONLY
                new Listener(Packet.TCP, Ip.parse("fe80::1"), 2224),
                new Listener(Packet.TCP, Ip.parse("10.0.0.5"), 2225),
                new Listener(Packet.TCP, null, 2226),
                new Listener(Packet.UDP, Ip.parse("10.0.0.1"), 123));
        // %lo on a loopback address changes nothing; %eth0 is worth saying
        assertThat(problems).extracting(Problem::toString).containsExactly(
                "h/ss-listen.txt:8: socket bound to device eth0: taken to accept on every interface (device binding "
                        + "is not simulated): udp   UNCONN 0      0     10.0.0.1%eth0:123       0.0.0.0:*");
    }

    @Test
    void ssWithoutNetidColumnOrWithHeader() {
        // ss -Hlnt (one protocol) prints no Netid column; ss without -H prints a header
        List<Listener> l = ss("Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port\n"
                + "LISTEN 0      5      [::]:81 [::]:*\nLISTEN 0      5         *:80    *:*\nUNCONN 0 0 0.0.0.0:68 0.0.0.0:*\n"
                + "mptcp LISTEN 0 5 0.0.0.0:90 0.0.0.0:*\n", new ArrayList<>());
        assertThat(l).containsExactly(new Listener(Packet.TCP, null, 81, Ip.Family.IPV6), new Listener(Packet.TCP, null, 80),
                new Listener(Packet.UDP, null, 68, Ip.Family.IPV4));
    }

    @Test
    void ssErrors() {
        assertThat(catchThrowableOfType(() -> ss("tcp LISTEN 0 5 0.0.0.0:ssh 0.0.0.0:*", new ArrayList<>()), InputException.class)
                .oneLine()).isEqualTo("h/ss-listen.txt:1: not a port number: \"ssh\" (capture with ss -n)");
        assertThat(catchThrowableOfType(() -> ss("\ntcp LISTEN 0 5", new ArrayList<>()), InputException.class).line()).isEqualTo(2);
        assertThat(catchThrowableOfType(() -> ss("tcp LISTEN 0 5 localhost:22 0.0.0.0:*", new ArrayList<>()), InputException.class)
                .getMessage()).isEqualTo("not an address: \"localhost\"");
        assertThat(catchThrowableOfType(() -> ss("tcp LISTEN 0 5 0.0.0.0 0.0.0.0:*", new ArrayList<>()), InputException.class)
                .getMessage()).isEqualTo("no port in local address \"0.0.0.0\"");
    }
}
