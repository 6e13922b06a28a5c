package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Problem;
import roundtrip.model.WireGuardConfig;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireGuardReaderTest {
    // generated with e9B7OMpfI0KR0nSLmL6ek1mqyLCOdhr8vNRrSoTW7mM=
    static final String PRIVATE = "QMcOPZFQtF5yYkTTcrBohsYEM9fJ9rIM2PH4hj5mLVo=";
    static final String PUBLIC = "TInNaEnR87yUNCD+H1DaYYBtzWpkVTzAzAKZyJovnBY=";

    @Test
    void derivesThePublicKeyAsWgPubkeyDoes() {
        assertThat(WireGuardReader.derivePublicKey(PRIVATE, "f", 1)).isEqualTo(PUBLIC);
    }

    @Test
    void readsShowconfOutput() {
        String text = """
                [Interface]
                ListenPort = 51820
                FwMark = 0xca6c
                PrivateKey = %s

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.2/32, 192.168.36.0/24, fd00::/64
                Endpoint = 203.0.113.7:51821
                PersistentKeepalive = 25
                """.formatted(PRIVATE, PUBLIC);
        List<Problem> problems = new ArrayList<>();
        WireGuardConfig c = WireGuardReader.read("op1/wg/wg_s2s.conf", "wg_s2s", text, problems);
        assertThat(problems).isEmpty();
        assertThat(c.publicKey()).isEqualTo(PUBLIC);
        assertThat(c.listenPort()).isEqualTo(51820);
        assertThat(c.fwmark()).isEqualTo(0xca6c);
        WireGuardConfig.Peer p = c.peers().get(0);
        // the IPv6 prefix is kept with its family (peers are chosen per family)
        assertThat(p.allowedIps()).extracting(Object::toString).containsExactly("10.0.0.2", "192.168.36.0/24", "fd00::/64");
        assertThat(String.valueOf(p.endpointAddr())).isEqualTo("203.0.113.7");
        assertThat(p.endpointPort()).isEqualTo(51821);
        assertThat(p.allowedIpsSource().line()).isEqualTo(8);
    }

    @Test
    void redactedPrivateKeyWithCommentedPublicKey() {
        String text = "[Interface]\nPrivateKey = (REDACTED)\n# PublicKey = " + PUBLIC + "\nListenPort = 1\n";
        WireGuardConfig c = WireGuardReader.read("f", "wg0", text, new ArrayList<>());
        assertThat(c.publicKey()).isEqualTo(PUBLIC);
    }

    @Test
    void badInputNamesTheLine() {
        assertThatThrownBy(() -> WireGuardReader.read("h/wg/wg0.conf", "wg0", "[Interface]\nListenPort = 70000\n", new ArrayList<>()))
                .isInstanceOf(InputException.class).hasMessageContaining("65535")
                .satisfies(e -> assertThat(((InputException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> WireGuardReader.read("f", "wg0", "[Interface]\n[Peer]\nPublicKey = abc\n", new ArrayList<>()))
                .isInstanceOf(InputException.class);
        assertThatThrownBy(() -> WireGuardReader.read("f", "wg0", "[Wat]\n", new ArrayList<>())).isInstanceOf(InputException.class);
    }
}
