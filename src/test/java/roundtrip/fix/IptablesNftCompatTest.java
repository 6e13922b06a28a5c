package roundtrip.fix;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules iptables-nft writes into its nftables table for our fixes' specifications, as `nft list` shows them on the
 * real kernel (checked in a namespace: `ip6tables -I FORWARD -i br-lan -o eth1 -j ACCEPT` lists as
 * `iifname "br-lan" oifname "eth1" counter accept`); LabVerifyCliTest proves the fixes on the kernel.
 */
class IptablesNftCompatTest {
    @Test void theMatchesOurFixesWriteHaveTheirNftWords() {
        assertThat(IptablesNftCompat.rule("-i br-lan -o eth1 -j ACCEPT", true)).isEqualTo("iifname \"br-lan\" oifname \"eth1\" accept");
        assertThat(IptablesNftCompat.rule("-i eth1 -o br-lan -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", true))
                .isEqualTo("iifname \"eth1\" oifname \"br-lan\" ct state related,established accept");
        assertThat(IptablesNftCompat.rule("-s 10.8.0.0/24 -d 192.168.1.5 -p tcp -m tcp --dport 22 -j ACCEPT", false))
                .isEqualTo("ip saddr 10.8.0.0/24 ip daddr 192.168.1.5 meta l4proto tcp tcp dport 22 accept");
        assertThat(IptablesNftCompat.rule("-s fd00::/64 -o eth0 -j MASQUERADE", true)).isEqualTo("ip6 saddr fd00::/64 oifname \"eth0\" masquerade");
    }

    @Test void whatItDoesNotKnowIsRefusedNotGuessed() {
        assertThat(IptablesNftCompat.rule("! -i lo -j ACCEPT", true)).isNull();
        assertThat(IptablesNftCompat.rule("-m recent --name x -j DROP", false)).isNull();
        assertThat(IptablesNftCompat.rule("-j LOG", false)).isNull();
        assertThat(IptablesNftCompat.rule("-i eth0", false)).isNull();
    }
}
