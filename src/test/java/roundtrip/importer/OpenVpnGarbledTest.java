package roundtrip.importer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import roundtrip.model.InputException;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Cut and garbled OpenVPN configs, CCD files and status files only ever give an InputException naming the file. */
class OpenVpnGarbledTest {
    static final List<String> SAMPLES = List.of(OpenVpnReaderTest.SERVER, OpenVpnReaderTest.STATUS_V1, OpenVpnReaderTest.STATUS_V2,
            "client\ndev tun0\nremote 198.51.100.2 1194 udp\nredirect-gateway def1\npush \"route 10.0.0.0 255.0.0.0 vpn_gateway\"\n",
            "iroute 192.168.4.0 255.255.255.0\nifconfig-push 10.8.0.9 10.8.0.10\n");

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("\"' \t\n#;<>/\\:,.0123456789abcdefCLIENT_ROUTINGEND").ofMaxLength(12);
    }

    @Property(tries = 600)
    void onlyInputExceptions(@ForAll @IntRange(min = 0, max = 4) int sample, @ForAll @IntRange(min = 0, max = 2000) int at,
                             @ForAll("noise") String noise, @ForAll @IntRange(min = 0, max = 8) int cut) {
        String text = SAMPLES.get(sample);
        int pos = Math.min(at, text.length());
        String garbled = text.substring(0, pos) + noise + text.substring(Math.min(text.length(), pos + cut));
        for (String kind : List.of("conf", "ccd", "status")) {
            try {
                switch (kind) {
                    case "conf" -> OpenVpnReader.read("f", garbled, new ArrayList<>());
                    case "ccd" -> OpenVpnReader.readCcd("f", "cn", garbled, new ArrayList<>());
                    default -> OpenVpnReader.readStatus("f", garbled);
                }
            } catch (InputException e) {
                assertThat(e.file()).isEqualTo("f");
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            }
        }
    }
}
