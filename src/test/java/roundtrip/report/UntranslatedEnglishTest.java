package roundtrip.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The definition of "untranslated" the Chinese output tests rest on. */
class UntranslatedEnglishTest {
    private final UntranslatedEnglish check = new UntranslatedEnglish(List.of("default via 192.0.2.1 dev wan0"));

    @Test void anEnglishSentenceIsFound() {
        assertThat(check.find("应答丢失，位于 isp（转发）：not addressed to this host and forwarding is off on eth0"))
                .isEqualTo("not addressed to");
        assertThat(check.find("  client  (sends) -> eth0")).isNull();   // two words only
        assertThat(check.find("持久化：iptables-save > /etc/iptables/rules.v4 (Debian/Ubuntu: package iptables-persistent restores it at boot)"))
                .isEqualTo("restores it at");
        assertThat(check.find("gw routes 10.200.0.2 by default via 192.0.2.1 dev wan0, away from vpn")).isEqualTo("away from vpn");
    }

    @Test void namesQuotesAndVerbatimTextAreNot() {
        assertThat(check.find("  gw    eth0 -> wan0   default via 192.0.2.1 dev wan0   <== 根因")).isNull();
        assertThat(check.find("WireGuard 丢弃了它（\"Packet has unallowed src IP\"），见 `ip rule add from 10.0.0.0/24 lookup 100`")).isNull();
        assertThat(check.find("被 filter FORWARD 的默认策略 DROP 丢弃")).isNull();
        assertThat(check.find("根因：missing-return-route，位于 gw；net.ipv4.ip_forward = 0")).isNull();
    }

    @Test void chineseBetweenWordsEndsTheRun() {
        assertThat(check.find("按 main 表 lookup 到 eth0 src 地址")).isNull();
        assertThat(check.find("the route back, 回程")).isEqualTo("the route back,".replace(",", ""));
    }
}
