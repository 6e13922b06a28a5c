package roundtrip.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpTest {

    // ------------------------------------------------------------------------------------------------ generators

    /** IPv6 addresses with many zero words (so that "::" and the dotted forms occur), and some fully random ones. */
    @Provide
    Arbitrary<Ip> v6() {
        Arbitrary<Integer> word = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0xffff)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 15)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 0xffff)));
        return word.list().ofSize(8).map(IpTest::fromWords);
    }

    @Provide
    Arbitrary<Ip> v4() { return Arbitraries.integers().map(Ip::v4); }

    @Provide
    Arbitrary<Ip> any() { return Arbitraries.oneOf(v4(), v6()); }

    private static Ip fromWords(List<Integer> w) {
        long hi = 0, lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | w.get(i);
            lo = (lo << 16) | w.get(4 + i);
        }
        return Ip.v6(hi, lo);
    }

    private static BigInteger big(Ip ip) { return new BigInteger(1, ip.bytes()); }

    /** What Java's resolver makes of a literal (no name lookup: every text here is an address literal). */
    private static byte[] java(String literal) throws Exception {
        return InetAddress.getByName(literal).getAddress();
    }

    /** Java turns an IPv4-mapped literal into its IPv4 address; compare with the same view of ours. */
    private static byte[] javaView(Ip ip) { return ip.unmapped().bytes(); }

    // ------------------------------------------------------------------------------------------------ round trips

    @Property(tries = 2000)
    void formattedAddressParsesBackAndJavaReadsTheSameBytes(@ForAll("any") Ip ip) throws Exception {
        String text = ip.toString();
        assertThat(Ip.parse(text)).isEqualTo(ip);
        assertThat(java(text)).isEqualTo(javaView(ip));
    }

    @Property(tries = 2000)
    void javaTextParsesToTheSameAddress(@ForAll("any") Ip ip) throws Exception {
        // Java prints IPv6 uncompressed ("0:0:0:0:0:0:0:1"): another form inet_pton must accept
        InetAddress a = ip.isV4() ? InetAddress.getByAddress(ip.bytes()) : Inet6Address.getByAddress(null, ip.bytes(), -1);
        assertThat(Ip.parse(a.getHostAddress())).isEqualTo(ip);
    }

    /** Any valid spelling: padded or short groups, either case, "::" for any run of zero words, a dotted tail. */
    @Property(tries = 3000)
    void everyValidSpellingParsesToTheAddress(@ForAll("v6") Ip ip, @ForAll long seed) throws Exception {
        String text = spell(ip, new Random(seed));
        assertThat(Ip.parse(text)).as(text).isEqualTo(ip);
        assertThat(java(text)).as(text).isEqualTo(javaView(ip));
    }

    private static String spell(Ip ip, Random r) {
        int[] w = new int[8];
        byte[] b = ip.bytes();
        for (int i = 0; i < 8; i++) w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        boolean dotted = r.nextInt(4) == 0;
        int groups = dotted ? 6 : 8;
        // a run of zero words to write as "::" (any length >= 1), or none
        int start = -1, len = 0;
        if (r.nextBoolean()) {
            int s = r.nextInt(groups);
            int e = s;
            while (e < groups && w[e] == 0) e++;
            if (e > s) { start = s; len = 1 + r.nextInt(e - s); }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groups; i++) {
            if (i == start) {
                sb.append("::");
                i += len - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            String h = Integer.toHexString(w[i]);
            if (r.nextBoolean()) h = "0".repeat(4 - h.length()) + h;
            if (r.nextBoolean()) h = h.toUpperCase(Locale.ROOT);
            sb.append(h);
        }
        if (dotted) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(w[6] >>> 8).append('.').append(w[6] & 0xff).append('.').append(w[7] >>> 8).append('.').append(w[7] & 0xff);
        } else if (sb.length() == 0) {
            sb.append("::");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------ printing

    /** RFC 5952: lower case, no leading zeros, the first longest run of two or more zero words as "::". */
    @Property(tries = 2000)
    void ipv6IsPrintedCanonically(@ForAll("v6") Ip ip) {
        String text = ip.toString();
        assertThat(text).isEqualTo(text.toLowerCase(Locale.ROOT));
        assertThat(text.indexOf("::")).isEqualTo(text.lastIndexOf("::"));
        assertThat(text).doesNotContain(":::");
        for (String group : text.split(":"))
            if (!group.isEmpty() && !group.contains(".")) assertThat(group).matches("0|[1-9a-f][0-9a-f]{0,3}");
        int longest = 0, run = 0, firstLongest = -1;
        byte[] b = ip.bytes();
        for (int i = 0; i < 8; i++) {
            boolean zero = b[2 * i] == 0 && b[2 * i + 1] == 0;
            run = zero ? run + 1 : 0;
            if (run > longest) { longest = run; firstLongest = i - run + 1; }
        }
        if (longest >= 2) assertThat(text).contains("::");
        else assertThat(text).doesNotContain("::");
        if (longest >= 2 && !text.contains(".")) {
            // the words before "::" are the words before the first longest run
            String before = text.substring(0, text.indexOf("::"));
            assertThat(before.isEmpty() ? 0 : before.split(":").length).isEqualTo(firstLongest);
        }
    }

    /** What `ip -j addr` printed for these addresses (iproute2 6.1, glibc inet_ntop), added with `ip -6 addr add`. */
    @Test
    void printsAsIproute2Prints() {
        String[][] cases = {
                {"::2:3", "::0.2.0.3"}, {"::0.0.0.2", "::2"}, {"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
                {"1:0:0:1:0:0:0:1", "1:0:0:1::1"}, {"1:0:0:2:0:0:3:4", "1::2:0:0:3:4"}, {"0:0:1::", "0:0:1::"},
                {"1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"}, {"2001:DB8:0:0:1::1", "2001:db8::1:0:0:1"},
                {"::ffff:0:1.2.3.4", "::ffff:0:102:304"}, {"0:0:0:0:0:1:0:0", "::1:0:0"}, {"::1:0:0:0", "::1:0:0:0"},
                {"64:ff9b::1.2.3.4", "64:ff9b::102:304"}, {"1::5:0.0.0.1", "1::5:0:1"}, {"::", "::"}, {"::1", "::1"},
                {"fe80::5411:bff:fec2:9799", "fe80::5411:bff:fec2:9799"}, {"fd00::2", "fd00::2"}};
        for (String[] c : cases) assertThat(Ip.parse(c[0])).as(c[0]).hasToString(c[1]);
        assertThat(Ip.parse("192.0.2.2")).hasToString("192.0.2.2");
        assertThat(Ip.parse("0.0.0.0")).hasToString("0.0.0.0");
    }

    // ------------------------------------------------------------------------------------------------ refusals

    @Test
    void refusesWhatInetPtonRefuses() {
        for (String bad : List.of("", ":", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "::g", "1:", ":1::",
                "1:2:3:4:5:6:7::8:9", "1:2:3:4::5:6:7:8", "::1%eth0", "[::1]", "1:2:3:4:5:6:7:1.2.3.4",
                "::1.2.3", "::1.2.3.4.5", "::ffff:01.2.3.4", "::1.2.3.4:1", "1.2.3", "01.2.3.4", "1.2.3.256",
                "1.2.3.4.", ".1.2.3.4", "1..2.3", "0x1.2.3.4", "1.2.3.-4", "a.b.c.d", "١.2.3.4", "::１"))
            assertThat(Ip.isAddress(bad)).as("\"" + bad + "\"").isFalse();
        assertThatThrownBy(() -> Ip.parse("fd00::1::")).hasMessage("not an IPv6 address: fd00::1::");
        assertThatThrownBy(() -> Ip.parseV4("fd00::1")).hasMessage("not an IPv4 address: fd00::1");
        assertThatThrownBy(() -> Ip.parseV6("1.2.3.4")).hasMessage("not an IPv6 address: 1.2.3.4");
    }

    @Test
    void familiesStayApart() {
        Ip v4 = Ip.parse("1.2.3.4");
        Ip mapped = Ip.parse("::ffff:1.2.3.4");
        assertThat(mapped.family()).isEqualTo(Ip.Family.IPV6);
        assertThat(v4).isNotEqualTo(mapped);
        assertThat(mapped.isV4Mapped()).isTrue();
        assertThat(mapped.unmapped()).isEqualTo(v4);
        assertThat(Ip.V4_ANY).isNotEqualTo(Ip.V6_ANY);
        assertThat(v4.samePrefix(mapped, 0)).isFalse();
        assertThatThrownBy(mapped::v4).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------------------------------------ predicates

    @Property(tries = 2000)
    void predicatesAgreeWithJava(@ForAll("any") Ip ip) throws Exception {
        InetAddress a = ip.isV4() ? InetAddress.getByAddress(ip.bytes()) : Inet6Address.getByAddress(null, ip.bytes(), -1);
        assertThat(ip.isLoopback()).isEqualTo(a.isLoopbackAddress());
        assertThat(ip.isMulticast()).isEqualTo(a.isMulticastAddress());
        assertThat(ip.isLinkLocal()).isEqualTo(a.isLinkLocalAddress());
        assertThat(ip.isUnspecified()).isEqualTo(a.isAnyLocalAddress());
    }

    @Test
    void kernelClasses() {
        assertThat(Ip.parse("0.1.2.3").isZeroNet()).isTrue();
        assertThat(Ip.parse("1.1.2.3").isZeroNet()).isFalse();
        assertThat(Ip.parse("::").isZeroNet()).isFalse();
        assertThat(Ip.parse("255.255.255.255").isLimitedBroadcast()).isTrue();
        assertThat(Ip.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").isLimitedBroadcast()).isFalse();
        assertThat(Ip.parse("fe80::1").isLinkLocal()).isTrue();
        assertThat(Ip.parse("febf::1").isLinkLocal()).isTrue();
        assertThat(Ip.parse("fec0::1").isLinkLocal()).isFalse();
        assertThat(Ip.parse("169.254.1.1").isLinkLocal()).isTrue();
        assertThat(Ip.parse("ff02::1").isMulticast()).isTrue();
        assertThat(Ip.parse("127.0.0.53").isLoopback()).isTrue();
    }

    // ------------------------------------------------------------------------------------------------ arithmetic

    @Property(tries = 2000)
    void masksAgreeWithBigIntegers(@ForAll("any") Ip ip, @ForAll @IntRange(min = 0, max = 128) int length) {
        int len = Math.min(length, ip.width());
        BigInteger all = BigInteger.ONE.shiftLeft(ip.width()).subtract(BigInteger.ONE);
        BigInteger mask = all.shiftRight(len).xor(all);
        assertThat(big(ip.masked(len))).isEqualTo(big(ip).and(mask));
        assertThat(big(ip.lastOf(len))).isEqualTo(big(ip).or(mask.xor(all)));
        assertThat(ip.masked(len).family()).isEqualTo(ip.family());
        assertThat(ip.samePrefix(ip.masked(len), len)).isTrue();
        assertThat(ip.samePrefix(ip.lastOf(len), len)).isTrue();
    }

    @Property(tries = 2000)
    void samePrefixIsEqualityOfTheMaskedAddresses(@ForAll("any") Ip a, @ForAll("any") Ip b,
                                                  @ForAll @IntRange(min = 0, max = 128) int length) {
        int len = Math.min(length, a.width());
        boolean same = a.family() == b.family() && a.masked(len).equals(b.masked(len));
        assertThat(a.samePrefix(b, len)).isEqualTo(same);
    }

    @Property(tries = 2000)
    void plusCountsAsAnUnsignedNumber(@ForAll("any") Ip ip, @ForAll long n) {
        BigInteger modulus = BigInteger.ONE.shiftLeft(ip.width());
        BigInteger expected = big(ip).add(BigInteger.valueOf(n)).mod(modulus);
        assertThat(big(ip.plus(n))).isEqualTo(expected);
    }

    @Property(tries = 2000)
    void orderIsFamilyThenValue(@ForAll("any") Ip a, @ForAll("any") Ip b) {
        int expected = a.family() != b.family() ? a.family().compareTo(b.family()) : big(a).compareTo(big(b));
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(expected));
        assertThat(a.equals(b)).isEqualTo(a.compareTo(b) == 0);
        if (a.equals(b)) assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }

    @Property(tries = 500)
    void bytesRoundTrip(@ForAll("any") Ip ip) {
        assertThat(Ip.ofBytes(ip.bytes())).isEqualTo(ip);
    }

    @Test
    void netmasks() {
        assertThat(Ip.v4MaskLength(Ip.parse("255.255.255.0").v4())).isEqualTo(24);
        assertThat(Ip.v4MaskLength(Ip.parse("255.0.255.0").v4())).isEqualTo(-1);
        assertThat(Ip.v4Mask(0)).isZero();
        assertThat(Ip.v4Mask(32)).isEqualTo(-1);
    }
}
