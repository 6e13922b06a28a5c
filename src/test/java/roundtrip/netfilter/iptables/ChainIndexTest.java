package roundtrip.netfilter.iptables;

import org.junit.jupiter.api.Test;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Pkt;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index's sets, ready-made per answer (chains of up to a few thousand rules) or built per packet from the rule
 * positions (longer ones), and in one long for chains of at most 64 rules, are the same, and never leave out a rule that
 * matches the packet.
 */
class ChainIndexTest {
    private static final String[] ADDRS = {"10.0.0.1", "10.0.0.0/8", "10.0.0.0/24", "192.168.3.0/24", "172.16.9.9",
            "10.1.0.0/16", "128.0.0.0/1", "8.8.8.8", "10.0.0.64/26", "10.0.0.0/255.0.255.0", "0.0.0.0/0"};
    private static final String[] DEVS = {"eth0", "eth1", "wg0", "eth+", "tun3", "lan0"};

    /**
     * A chain of every shape the index files: prefixes, devices, protocols, ports, ranges and marks of two masks (with
     * {@code twoMasks}; else of one, whose sets are ready-made).
     */
    private static String chain(int n, long seed, boolean twoMasks) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n");
        for (int i = 0; i < n; i++) {
            String addr = ADDRS[rnd.nextInt(ADDRS.length)], dev = DEVS[rnd.nextInt(DEVS.length)];
            String rule = switch (rnd.nextInt(13)) {
                case 0 -> "-s " + addr;
                case 1 -> "-d " + addr + " -i " + dev;
                case 2 -> "-o " + dev + " -p udp --dport " + (rnd.nextInt(100) + 1);
                case 3 -> "-p tcp -m multiport --dports " + (rnd.nextInt(50) + 1) + "," + (rnd.nextInt(50) + 60);
                case 4 -> "-p tcp --sport " + (rnd.nextInt(500) + 1) + ":" + (rnd.nextInt(500) + 500);
                case 5 -> "-m iprange --src-range 10.0.0." + rnd.nextInt(100) + "-10.0.0." + (100 + rnd.nextInt(100));
                case 6 -> "-m iprange --dst-range 10.0.0.0-10.0.0." + rnd.nextInt(256);
                case 7 -> "-m mark --mark 0x" + Integer.toHexString(rnd.nextInt(4)) + "/0x3";
                case 8 -> twoMasks ? "-m mark --mark 0x" + Integer.toHexString(rnd.nextInt(4) << 4) + "/0xf0"
                        : "-m mark --mark 0x" + Integer.toHexString(rnd.nextInt(4)) + "/0x3";
                case 9 -> "! -s " + addr + " -p icmp";
                // many prefixes of many lengths, nested and side by side: beyond a scan, found by length
                case 11 -> "-s 10." + rnd.nextInt(4) + "." + rnd.nextInt(4) + "." + rnd.nextInt(256) + "/" + (8 + 4 * rnd.nextInt(7));
                case 12 -> "-d 10." + rnd.nextInt(4) + "." + rnd.nextInt(4) + "." + rnd.nextInt(256) + "/" + (8 + 4 * rnd.nextInt(7));
                default -> "-i " + dev + " -s " + addr + " -p tcp --dport 22";
            };
            sb.append("-A INPUT ").append(rule).append(" -j LOG\n");
        }
        return sb.append("COMMIT\n").toString();
    }

    private static List<Pkt> packets(long seed) {
        Random rnd = new Random(seed);
        List<Pkt> out = new ArrayList<>();
        String[] src = {"10.0.0.1", "10.0.0.77", "10.1.2.3", "192.168.3.4", "172.16.9.9", "8.8.8.8", "200.1.1.1", "10.7.0.5",
                "10.2.3.77", "10.3.1.200", "10.0.2.9"};
        // device names the rules name, a wildcard's match, and one no rule names
        String[] devs = {"eth0", "eth1", "eth7", "wg0", "tun3", "lan0", "ppp9"};
        for (int i = 0; i < 300; i++) {
            String s = src[rnd.nextInt(src.length)], d = src[rnd.nextInt(src.length)];
            Pkt p = switch (rnd.nextInt(3)) {
                case 0 -> Pkt.tcp(s, d, rnd.nextInt(120)).sport(rnd.nextInt(1100));
                case 1 -> Pkt.udp(s, d, rnd.nextInt(120));
                default -> Pkt.icmp(s, d, 8, 0);
            };
            out.add(p.in(devs[rnd.nextInt(devs.length)]).out(rnd.nextBoolean() ? null : devs[rnd.nextInt(devs.length)])
                    .mark(rnd.nextInt(256)).hook(Hook.FORWARD));
        }
        return out;
    }

    private static void check(int rules, long seed) { check(rules, seed, true); }

    private static void check(int rules, long seed, boolean twoMasks) {
        Chain c = IptablesSaveParser.parseRuleset("i", chain(rules, seed, twoMasks), true).chain("filter", "INPUT");
        ChainIndex ready = ChainIndex.build(c.rules), perPacket = ChainIndex.build(c.rules, 0);
        assertThat(ready).isNotNull();
        assertThat(perPacket).isNotNull();
        for (Pkt p : packets(seed)) {
            PacketContext ctx = p.ctx();
            long[] a = ready.candidates(ctx), b = perPacket.candidates(ctx);
            assertThat(a).as("%s", p).isEqualTo(b);
            // a chain of at most 64 rules whose sets are all ready-made (marks of one mask): the same candidates in one
            // long, visited in the same order
            assertThat(ready.oneWord()).isEqualTo(rules <= 64 && !twoMasks);
            if (ready.oneWord()) {
                long word = ready.word(ctx);
                assertThat(word).as("%s", p).isEqualTo(a[0]);
                for (int i = 0; i <= 65; i++) assertThat(ChainIndex.next(word, i)).as("from %d", i).isEqualTo(ChainIndex.next(a, i));
            }
            for (int i = 0; i < c.rules.length; i++)
                if (c.rules[i].matches(ctx)) assertThat(ChainIndex.next(a, i)).as("rule %d matches %s", i, p).isEqualTo(i);
        }
    }

    /** A rule's -i/-o name is the same String as the device a packet carries (both interned), whatever the text's copy. */
    @Test
    void aRulesDeviceNameIsTheDevicesString() {
        IfaceMatch m = new IfaceMatch(new String("wg0".toCharArray()), false);
        assertThat(m.exactName()).isSameAs(new roundtrip.model.Interface("wg0", 4, "wireguard", null, true, true, "", 1420,
                List.of()).name());
    }

    @Test
    void readyMadeAndPerPacketSetsAgreeAndKeepEveryMatchingRule() {
        // the bound 0 makes every field build its sets per packet, the path of chains of thousands of rules
        check(200, 1);
        check(1000, 2);
        // a few prefixes: scanned, not looked up by length
        check(20, 3);
        check(40, 4);
        // in one long: a few rules, the most one long holds, and one more (in two)
        check(20, 5, false);
        check(64, 6, false);
        check(65, 7, false);
    }
}
