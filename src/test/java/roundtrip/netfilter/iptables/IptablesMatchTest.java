package roundtrip.netfilter.iptables;

import roundtrip.netfilter.Pkt;

import org.junit.jupiter.api.Test;
import roundtrip.model.Packet;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

/** Each match, in both negation syntaxes, against packets that should and should not match. */
class IptablesMatchTest {

    /** True when a rule `-A <hook> OPTIONS -j ACCEPT` in a DROP-policy table accepts the packet. */
    static boolean matches(String options, Pkt pkt) {
        return matches("filter", options, pkt);
    }

    static boolean matches(String table, String options, Pkt pkt) {
        String text = "*" + table + "\n:" + pkt.hook + " DROP [0:0]\n-A " + pkt.hook + " " + options + " -j ACCEPT\nCOMMIT\n";
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("t", text);
        assertThat(rs.problems()).as("problems").filteredOn(p -> !p.message().english().startsWith("approximated")).isEmpty();
        Verdict v = rs.evaluate(table, pkt.hook, pkt.ctx());
        return v.kind() == Verdict.Kind.ACCEPT;
    }

    static Pkt ssh() { return Pkt.tcp("10.0.0.5", "192.168.1.1", 22); }

    @Test
    void sourceAndDestination() {
        assertThat(matches("-s 10.0.0.0/8", ssh())).isTrue();
        assertThat(matches("-s 10.0.0.5", ssh())).isTrue();
        assertThat(matches("-s 10.0.0.5/32", ssh())).isTrue();
        assertThat(matches("-s 10.0.0.6", ssh())).isFalse();
        assertThat(matches("! -s 10.0.0.0/8", ssh())).isFalse();
        assertThat(matches("-s ! 10.0.0.0/8", ssh())).isFalse();
        assertThat(matches("--source 10/8", ssh())).isTrue();
        assertThat(matches("-d 192.168.1.0/255.255.255.0", ssh())).isTrue();
        assertThat(matches("-d 192.168.2.0/24", ssh())).isFalse();
        assertThat(matches("! -d 192.168.2.0/24", ssh())).isTrue();
        assertThat(matches("-s 0.0.0.0/0", ssh())).isTrue();
        assertThat(matches("-s 1.1.1.1,10.0.0.5", ssh())).isTrue();
        assertThat(matches("-s 1.1.1.1,2.2.2.2", ssh())).isFalse();
        // a non-contiguous mask is legal in iptables
        assertThat(matches("-s 10.0.0.5/255.0.0.255", Pkt.tcp("10.9.9.5", "1.1.1.1", 22))).isTrue();
    }

    @Test
    void interfaces() {
        assertThat(matches("-i eth0", ssh())).isTrue();
        assertThat(matches("-i eth1", ssh())).isFalse();
        assertThat(matches("-i eth+", ssh())).isTrue();
        assertThat(matches("-i et+", ssh())).isTrue();
        assertThat(matches("-i wg+", ssh())).isFalse();
        assertThat(matches("! -i wg+", ssh())).isTrue();
        assertThat(matches("-i ! eth0", ssh())).isFalse();
        assertThat(matches("-i +", ssh())).isTrue();
        Pkt fwd = ssh().hook(Hook.FORWARD).out("ppp0");
        assertThat(matches("-i eth0 -o ppp0", fwd)).isTrue();
        assertThat(matches("-o ppp+", fwd)).isTrue();
        assertThat(matches("! -o ppp0", fwd)).isFalse();
        // a locally generated packet has no input device: -i never matches, ! -i always does
        Pkt local = ssh().hook(Hook.OUTPUT).in(null).out("eth0");
        assertThat(matches("-o eth0", local)).isTrue();
    }

    @Test
    void protocols() {
        assertThat(matches("-p tcp", ssh())).isTrue();
        assertThat(matches("-p 6", ssh())).isTrue();
        assertThat(matches("-p TCP", ssh())).isTrue();
        assertThat(matches("-p udp", ssh())).isFalse();
        assertThat(matches("! -p udp", ssh())).isTrue();
        assertThat(matches("-p ! tcp", ssh())).isFalse();
        assertThat(matches("-p all", ssh())).isTrue();
        assertThat(matches("-p gre", ssh())).isFalse();
        Pkt gre = ssh();
        gre.packet.proto = 47;
        assertThat(matches("-p gre", gre)).isTrue();
        assertThat(matches("-p 47", gre)).isTrue();
    }

    @Test
    void ports() {
        assertThat(matches("-p tcp --dport 22", ssh())).isTrue();
        assertThat(matches("-p tcp -m tcp --dport 22", ssh())).isTrue();
        assertThat(matches("-p tcp --dport ssh", ssh())).isTrue();
        assertThat(matches("-p tcp --dport 23", ssh())).isFalse();
        assertThat(matches("-p tcp ! --dport 23", ssh())).isTrue();
        assertThat(matches("-p tcp --dport ! 22", ssh())).isFalse();
        assertThat(matches("-p tcp -m tcp ! --dport 22", ssh())).isFalse();
        assertThat(matches("-p tcp --dport 20:30", ssh())).isTrue();
        assertThat(matches("-p tcp --dport 23:", ssh())).isFalse();
        assertThat(matches("-p tcp --dport :22", ssh())).isTrue();
        assertThat(matches("-p tcp --sport 1024:65535", ssh())).isTrue();
        assertThat(matches("-p tcp ! --sport 1024:65535", ssh())).isFalse();
        assertThat(matches("-p tcp --destination-port 22 --source-port 40000", ssh())).isTrue();
        assertThat(matches("-p udp --dport 22", ssh())).isFalse();
        assertThat(matches("-p udp -m udp --dport 53", Pkt.udp("1.1.1.1", "2.2.2.2", 53))).isTrue();
        assertThat(matches("-p udp -m udp --dport 53", Pkt.tcp("1.1.1.1", "2.2.2.2", 53))).isFalse();
    }

    @Test
    void tcpFlags() {
        Pkt syn = ssh().flags(Packet.SYN);
        Pkt synAck = ssh().flags(Packet.SYN | Packet.ACK);
        Pkt ack = ssh().flags(Packet.ACK);
        assertThat(matches("-p tcp --syn", syn)).isTrue();
        assertThat(matches("-p tcp --syn", synAck)).isFalse();
        assertThat(matches("-p tcp ! --syn", ack)).isTrue();
        assertThat(matches("-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN", syn)).isTrue();
        assertThat(matches("-p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN", syn)).isFalse();
        assertThat(matches("-p tcp -m tcp --tcp-flags SYN,RST SYN", synAck)).isTrue();
        assertThat(matches("-p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE", ssh().flags(0))).isTrue();
        assertThat(matches("-p tcp -m tcp --tcp-flags ALL NONE", syn)).isFalse();
        assertThat(matches("-p tcp -m tcp --tcp-flags ALL ALL", ssh().flags(0x3f))).isTrue();
    }

    @Test
    void multiport() {
        assertThat(matches("-p tcp -m multiport --dports 22,80,1000:2000", ssh())).isTrue();
        assertThat(matches("-p tcp -m multiport --dports 80,1000:2000", ssh())).isFalse();
        assertThat(matches("-p tcp -m multiport --dports 10:30", ssh())).isTrue();
        assertThat(matches("-p tcp -m multiport ! --dports 22", ssh())).isFalse();
        assertThat(matches("-p tcp -m multiport --dports ! 22", ssh())).isFalse();
        assertThat(matches("-p tcp -m multiport --sports 40000", ssh())).isTrue();
        assertThat(matches("-p tcp -m multiport --sports 22", ssh())).isFalse();
        assertThat(matches("-p tcp -m multiport --ports 22", ssh())).isTrue();
        assertThat(matches("-p tcp -m multiport --ports 40000", ssh())).isTrue();
        assertThat(matches("-p tcp -m multiport --ports 1", ssh())).isFalse();
        assertThat(matches("-p udp -m multiport ! --sports 53,67:68", Pkt.udp("1.1.1.1", "2.2.2.2", 9))).isTrue();
    }

    @Test
    void icmpTypes() {
        Pkt echo = Pkt.icmp("1.1.1.1", "2.2.2.2", 8, 0);
        Pkt portUnreach = Pkt.icmp("1.1.1.1", "2.2.2.2", 3, 3);
        assertThat(matches("-p icmp --icmp-type echo-request", echo)).isTrue();
        assertThat(matches("-p icmp -m icmp --icmp-type 8", echo)).isTrue();
        assertThat(matches("-p icmp -m icmp --icmp-type echo-reply", echo)).isFalse();
        assertThat(matches("-p icmp -m icmp ! --icmp-type echo-reply", echo)).isTrue();
        assertThat(matches("-p icmp -m icmp --icmp-type ! 8", echo)).isFalse();
        assertThat(matches("-p icmp -m icmp --icmp-type any", echo)).isTrue();
        assertThat(matches("-p icmp -m icmp ! --icmp-type any", echo)).isFalse();
        assertThat(matches("-p icmp --icmp-type destination-unreachable", portUnreach)).isTrue();
        assertThat(matches("-p icmp --icmp-type port-unreachable", portUnreach)).isTrue();
        assertThat(matches("-p icmp --icmp-type 3/3", portUnreach)).isTrue();
        assertThat(matches("-p icmp --icmp-type 3/4", portUnreach)).isFalse();
        assertThat(matches("-p icmp --icmp-type host-unreachable", portUnreach)).isFalse();
        assertThat(matches("-p icmp --icmp-type time-exceeded", Pkt.icmp("1.1.1.1", "2.2.2.2", 11, 0))).isTrue();
        assertThat(matches("-p icmp --icmp-type echo-request", ssh())).isFalse();
    }

    @Test
    void conntrackStates() {
        assertThat(matches("-m conntrack --ctstate NEW", ssh())).isTrue();
        assertThat(matches("-m conntrack --ctstate RELATED,ESTABLISHED", ssh())).isFalse();
        assertThat(matches("-m conntrack --ctstate RELATED,ESTABLISHED", ssh().state(CtState.ESTABLISHED))).isTrue();
        assertThat(matches("-m conntrack --ctstate RELATED", ssh().state(CtState.RELATED))).isTrue();
        assertThat(matches("-m conntrack --ctstate INVALID", ssh().state(CtState.INVALID))).isTrue();
        assertThat(matches("-m conntrack --ctstate UNTRACKED", ssh().state(CtState.UNTRACKED))).isTrue();
        assertThat(matches("-m conntrack ! --ctstate NEW", ssh())).isFalse();
        assertThat(matches("-m conntrack --ctstate ! NEW", ssh().state(CtState.ESTABLISHED))).isTrue();
        assertThat(matches("-m conntrack --ctstate DNAT", ssh().dnat())).isTrue();
        assertThat(matches("-m conntrack --ctstate DNAT", ssh())).isFalse();
        assertThat(matches("-m conntrack --ctstate SNAT", ssh().snat())).isTrue();
        assertThat(matches("-m conntrack ! --ctstate NEW,UNTRACKED,SNAT,DNAT", ssh().state(CtState.ESTABLISHED))).isTrue();
        assertThat(matches("-m state --state NEW", ssh())).isTrue();
        assertThat(matches("-m state --state ESTABLISHED,RELATED", ssh())).isFalse();
        assertThat(matches("-m state ! --state INVALID", ssh())).isTrue();
        assertThat(matches("-m state --state INVALID", ssh().state(CtState.INVALID))).isTrue();
    }

    @Test
    void conntrackTupleDirectionStatusProto() {
        Pkt dnatted = ssh().orig("10.0.0.5", "203.0.113.1").dnat();
        assertThat(matches("-m conntrack --ctorigdst 203.0.113.1", dnatted)).isTrue();
        assertThat(matches("-m conntrack --ctorigdst 192.168.1.1", dnatted)).isFalse();
        assertThat(matches("-m conntrack ! --ctorigdst 203.0.113.0/24", dnatted)).isFalse();
        assertThat(matches("-m conntrack --ctorigsrc 10.0.0.0/8 --ctorigdst 203.0.113.1", dnatted)).isTrue();
        assertThat(matches("-m conntrack --ctdir ORIGINAL", ssh())).isTrue();
        assertThat(matches("-m conntrack --ctdir REPLY", ssh())).isFalse();
        assertThat(matches("-m conntrack --ctdir REPLY", ssh().state(CtState.ESTABLISHED).reply())).isTrue();
        assertThat(matches("-m conntrack --ctproto tcp", ssh())).isTrue();
        assertThat(matches("-m conntrack ! --ctproto tcp", ssh())).isFalse();
        assertThat(matches("-m conntrack --ctstatus SEEN_REPLY,ASSURED", ssh().state(CtState.ESTABLISHED))).isTrue();
        assertThat(matches("-m conntrack --ctstatus SEEN_REPLY", ssh())).isFalse();
        assertThat(matches("-m conntrack ! --ctstatus CONFIRMED", ssh())).isTrue();
        // without a conntrack entry only the state part can match (xt_conntrack)
        assertThat(matches("-m conntrack ! --ctorigsrc 1.1.1.1", ssh().state(CtState.INVALID))).isFalse();
        assertThat(matches("-m conntrack --ctstate INVALID --ctorigsrc 1.1.1.1", ssh().state(CtState.INVALID))).isTrue();
    }

    @Test
    void rawTableRunsBeforeConntrack() {
        Pkt est = ssh().hook(Hook.PREROUTING).state(CtState.ESTABLISHED).ctMark(0x1);
        assertThat(matches("raw", "-m conntrack --ctstate ESTABLISHED", est)).isFalse();
        assertThat(matches("raw", "-m conntrack --ctstate INVALID", est)).isTrue();
        assertThat(matches("raw", "-m connmark --mark 0x1", est)).isFalse();
        assertThat(matches("mangle", "-m connmark --mark 0x1", est)).isTrue();
    }

    @Test
    void marks() {
        assertThat(matches("-m mark --mark 0x1", ssh().mark(1))).isTrue();
        assertThat(matches("-m mark --mark 0x1", ssh().mark(0x101))).isFalse();
        assertThat(matches("-m mark --mark 0x1/0xff", ssh().mark(0x101))).isTrue();
        assertThat(matches("-m mark ! --mark 0x1", ssh().mark(0x2))).isTrue();
        assertThat(matches("-m mark --mark ! 0x1", ssh().mark(0x1))).isFalse();
        assertThat(matches("-m mark --mark 256", ssh().mark(0x100))).isTrue();
        assertThat(matches("-m connmark --mark 0x1234", ssh().ctMark(0x1234))).isTrue();
        assertThat(matches("-m connmark --mark 0x1234", ssh().ctMark(0x1235))).isFalse();
        assertThat(matches("-m connmark --mark 0x4/0xf", ssh().ctMark(0x1234))).isTrue();
        assertThat(matches("-m connmark ! --mark 0x1234", ssh().ctMark(0))).isTrue();
        // connmark never matches without a conntrack entry, not even inverted
        assertThat(matches("-m connmark ! --mark 0x1234", ssh().state(CtState.UNTRACKED))).isFalse();
    }

    @Test
    void ipRange() {
        assertThat(matches("-m iprange --src-range 10.0.0.1-10.0.0.9", ssh())).isTrue();
        assertThat(matches("-m iprange --src-range 10.0.0.6-10.0.0.9", ssh())).isFalse();
        assertThat(matches("-m iprange ! --src-range 10.0.0.6-10.0.0.9", ssh())).isTrue();
        assertThat(matches("-m iprange --dst-range 192.168.1.1-192.168.1.1", ssh())).isTrue();
        assertThat(matches("-m iprange --src-range 10.0.0.1-10.0.0.9 ! --dst-range 192.168.1.0-192.168.1.9", ssh())).isFalse();
        // unsigned compare across 128.0.0.0
        assertThat(matches("-m iprange --dst-range 100.0.0.0-200.0.0.0", ssh())).isTrue();
    }

    @Test
    void addressTypes() {
        Pkt toMe = ssh().local("192.168.1.1");
        assertThat(matches("-m addrtype --dst-type LOCAL", toMe)).isTrue();
        assertThat(matches("-m addrtype --dst-type LOCAL", ssh())).isFalse();
        assertThat(matches("-m addrtype ! --dst-type LOCAL", ssh())).isTrue();
        assertThat(matches("-m addrtype --src-type UNICAST --dst-type LOCAL", toMe)).isTrue();
        assertThat(matches("-m addrtype ! --dst-type BROADCAST,MULTICAST", ssh())).isTrue();
        assertThat(matches("-m addrtype --dst-type MULTICAST", Pkt.udp("1.1.1.1", "224.0.0.251", 5353))).isTrue();
        assertThat(matches("-m addrtype --dst-type LOCAL --limit-iface-in", toMe)).isTrue();
    }

    @Test
    void commentAndLimitAndFragment() {
        assertThat(matches("-m comment --comment \"allow ssh from lan\"", ssh())).isTrue();
        assertThat(matches("-m comment --comment \"quote \\\" inside\" -p tcp", ssh())).isTrue();
        assertThat(matches("-m limit --limit 5/min --limit-burst 10", ssh())).isTrue();
        // the simulation never produces non-first fragments
        assertThat(matches("-f", ssh())).isFalse();
        assertThat(matches("! -f", ssh())).isTrue();
    }

    @Test
    void allMatchesOfARuleMustHold() {
        String opts = "-s 10.0.0.0/8 -d 192.168.1.1/32 -i eth0 -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW "
                + "-m comment --comment x";
        assertThat(matches(opts, ssh())).isTrue();
        assertThat(matches(opts, ssh().in("eth1"))).isFalse();
        assertThat(matches(opts, ssh().state(CtState.ESTABLISHED))).isFalse();
    }

    @Test
    void pktTypeTtlAndPolicy() {
        assertThat(matches("-m pkttype --pkt-type unicast", ssh())).isTrue();
        assertThat(matches("-m pkttype ! --pkt-type unicast", ssh())).isFalse();
        assertThat(matches("-m pkttype --pkt-type broadcast", Pkt.udp("1.1.1.1", "255.255.255.255", 67))).isTrue();
        assertThat(matches("-m pkttype --pkt-type multicast", Pkt.udp("1.1.1.1", "239.1.2.3", 5000))).isTrue();
        Pkt ttl = ssh();
        ttl.packet.ttl = 3;
        assertThat(matches("-m ttl --ttl-lt 5", ttl)).isTrue();
        assertThat(matches("-m ttl --ttl-gt 5", ttl)).isFalse();
        assertThat(matches("-m ttl --ttl-eq 3", ttl)).isTrue();
        assertThat(matches("-m ttl ! --ttl-eq 64", ttl)).isTrue();
        assertThat(matches("-m policy --dir in --pol none", ssh())).isTrue();
        assertThat(matches("-m policy --dir in --pol ipsec --proto esp", ssh())).isFalse();
    }
}
