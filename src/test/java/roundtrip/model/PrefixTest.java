package roundtrip.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrefixTest {
    @Provide
    Arbitrary<Ip> any() {
        Arbitrary<Ip> v4 = Arbitraries.integers().map(Ip::v4);
        Arbitrary<Ip> v6 = Arbitraries.longs().tuple2().map(t -> Ip.v6(t.get1(), t.get2()));
        // addresses near each other, so that contains() is true often enough to matter
        Arbitrary<Ip> near = Arbitraries.integers().between(0, 255).map(i -> Ip.parse("fd00::" + Integer.toHexString(i)));
        return Arbitraries.oneOf(v4, v6, near, Arbitraries.integers().between(0, 255).map(i -> Ip.v4(0x0a000000 | i)));
    }

    private static BigInteger big(Ip ip) { return new BigInteger(1, ip.bytes()); }

    @Property(tries = 3000)
    void containsIsEqualityOfTheFirstLenBits(@ForAll("any") Ip net, @ForAll("any") Ip ip, @ForAll @IntRange(max = 128) int length) {
        int len = Math.min(length, net.width());
        Prefix p = new Prefix(net, len);
        boolean expected = ip.family() == net.family()
                && big(ip).shiftRight(net.width() - len).equals(big(net).shiftRight(net.width() - len));
        assertThat(p.contains(ip)).isEqualTo(expected);
        assertThat(p.contains(Prefix.host(ip))).isEqualTo(expected);
    }

    @Property(tries = 2000)
    void theAddressIsStoredWithoutHostBitsAndTheTextReadsBack(@ForAll("any") Ip net, @ForAll @IntRange(max = 128) int length) {
        int len = Math.min(length, net.width());
        Prefix p = new Prefix(net, len);
        assertThat(p.addr()).isEqualTo(net.masked(len));
        assertThat(p.contains(net)).isTrue();
        assertThat(p.contains(p.last())).isTrue();
        assertThat(Prefix.parse(p.toString())).isEqualTo(p);
        assertThat(Prefix.parse(p.addr() + "/" + len)).isEqualTo(p);
    }

    @Test
    void familiesNeverContainEachOther() {
        assertThat(Prefix.ANY.contains(Ip.parse("2001:db8::1"))).isFalse();
        assertThat(Prefix.ANY6.contains(Ip.parse("192.0.2.1"))).isFalse();
        assertThat(Prefix.ANY6.contains(Ip.parse("::ffff:192.0.2.1"))).isTrue();
        assertThat(Prefix.parse("::ffff:0:0/96").contains(Ip.parse("192.0.2.1"))).isFalse();
        assertThat(Prefix.ANY.contains(Prefix.ANY6)).isFalse();
    }

    @Test
    void formsIproute2Takes() {
        assertThat(Prefix.parse("default")).isEqualTo(Prefix.ANY);
        assertThat(Prefix.parse("default", Ip.Family.IPV6)).isEqualTo(Prefix.ANY6);
        assertThat(Prefix.parse("all", Ip.Family.IPV6)).hasToString("::/0");
        assertThat(Prefix.parse("0/0")).hasToString("0.0.0.0/0");
        assertThat(Prefix.parse("::/0")).isEqualTo(Prefix.ANY6);
        assertThat(Prefix.parse("10.0.0.0/255.255.0.0")).hasToString("10.0.0.0/16");
        assertThat(Prefix.parse("fd00::1")).hasToString("fd00::1").extracting(Prefix::len).isEqualTo(128);
        assertThat(Prefix.parse("fd00::1/64")).hasToString("fd00::/64");
        assertThat(Prefix.parse("192.0.2.1")).extracting(Prefix::len).isEqualTo(32);
        assertThatThrownBy(() -> Prefix.parse("fd00::/129")).hasMessage("prefix length out of range: fd00::/129");
        assertThatThrownBy(() -> Prefix.parse("10.0.0.0/33")).hasMessage("prefix length out of range: 10.0.0.0/33");
        assertThatThrownBy(() -> Prefix.parse("fd00::/ffff::")).hasMessage("not a prefix: fd00::/ffff::");
        assertThatThrownBy(() -> Prefix.parse("10.0.0.0/255.0.255.0")).hasMessage("non-contiguous netmask: 10.0.0.0/255.0.255.0");
        assertThat(Prefix.parse("10.1.2.0/24").netmask()).hasToString("255.255.255.0");
        assertThat(Prefix.parse("10.1.2.0/24").last()).hasToString("10.1.2.255");
    }
}
