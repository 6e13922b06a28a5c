package roundtrip.importer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import roundtrip.model.InputException;
import roundtrip.model.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Truncated, garbled and type-confused inputs only ever produce an InputException naming the file. */
class GarbledInputTest {
    static final Path LAB = RealSnapshotTest.resource("real-lab");

    static String real(String rel) {
        try {
            return Files.readString(LAB.resolve(rel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a reader on text; anything but success or an InputException for {@code file} fails the property. */
    static void onlyInputException(String file, String text, Consumer<String> reader) {
        try {
            reader.accept(text);
        } catch (InputException e) {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.line()).isGreaterThanOrEqualTo(0);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("com.fasterxml");
        }
    }

    static void readAny(String kind, String text) {
        List<Problem> problems = new ArrayList<>();
        switch (kind) {
            case "addr" -> IpAddrReader.read("f", text, problems);
            case "route" -> IpRouteReader.read("f", text, problems);
            case "rule" -> IpRuleReader.read("f", text, problems);
            case "topology" -> TopologyReader.read("f", text);
            case "probe" -> ProbeReader.parse("f", text);
            case "sysctl" -> SysctlReader.read("f", text);
            case "ss" -> SsListenReader.read("f", text, problems);
            default -> throw new IllegalArgumentException(kind);
        }
    }

    record Sample(String kind, String text) {}

    @Provide
    Arbitrary<Sample> samples() {
        return Arbitraries.of(
                new Sample("addr", real("router/ip-addr.json")),
                new Sample("addr", real("client/ip-addr.json")),
                new Sample("route", real("router/ip-route.json")),
                new Sample("route", real("nas/ip-route.json")),
                new Sample("route", JsonVariantsTest.ROUTES_WITHOUT_D),
                new Sample("rule", real("router/ip-rule.json")),
                new Sample("topology", real("topology.json")),
                new Sample("probe", "[{\"id\": \"a\", \"from\": \"client\", \"src\": \"203.0.113.10\", \"to\": \"192.168.78.19:22\","
                        + " \"proto\": \"tcp\", \"target\": \"nas\", \"expect\": \"ROUND_TRIP_OK\"}]"),
                new Sample("sysctl", real("router/sysctl.txt")),
                new Sample("ss", real("router/ss-listen.txt")));
    }

    @Property(tries = 400)
    void truncated(@ForAll("samples") Sample s, @ForAll @IntRange(min = 0, max = 20000) int cut) {
        String text = s.text().substring(0, Math.min(cut, s.text().length()));
        onlyInputException("f", text, t -> readAny(s.kind(), t));
    }

    /** Characters that matter to the formats, and a few that do not belong at all. */
    static final String NASTY = "{}[]\":,0123456789-.e/x \n\t\\%*tfn\u0000\u00e9";

    @Provide
    Arbitrary<String> edits() {
        Arbitrary<String> insert = Arbitraries.strings().withChars(NASTY).ofMinLength(1).ofMaxLength(4);
        return Combinators.combine(Arbitraries.integers().between(0, 20000), Arbitraries.integers().between(0, 4), insert)
                .as((pos, delete, ins) -> pos + "|" + delete + "|" + ins);
    }

    @Property(tries = 1500)
    void garbled(@ForAll("samples") Sample s, @ForAll("edits") String edit, @ForAll @IntRange(min = 1, max = 3) int times) {
        String text = s.text();
        String[] parts = edit.split("\\|", 3);
        for (int i = 0; i < times; i++) {
            int pos = (Integer.parseInt(parts[0]) * (i + 1)) % (text.length() + 1);
            int end = Math.min(text.length(), pos + Integer.parseInt(parts[1]));
            text = text.substring(0, pos) + parts[2] + text.substring(end);
        }
        onlyInputException("f", text, t -> readAny(s.kind(), t));
    }

    /** Any JSON value in any field of a real route, rule, address or probe. */
    @Provide
    Arbitrary<String> jsonValues() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1", "33", "4294967296", "1e99", "1.5", "[]", "{}",
                        "[1]", "{\"a\":1}", "\"\"", "\"all\"", "\"default\"", "\"0x\"", "\"::1\"", "\"10.0.0.0/99\"",
                        "\"300.1.1.1\"", "\"1.2.3.4\"", "\"main\"", "\"x:y\"", "[\"UP\"]", "[{}]", "[null]"),
                Arbitraries.strings().withChars("0123456789./:xabf").ofMaxLength(12).map(s -> "\"" + s + "\""));
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.of("dst", "type", "table", "gateway", "dev", "prefsrc", "metric", "scope", "flags", "tos",
                "nexthops", "via", "priority", "src", "srclen", "dstlen", "fwmark", "fwmask", "iif", "goto", "action",
                "suppress_prefixlen", "not", "ifname", "ifindex", "mtu", "linkinfo", "addr_info", "address", "master",
                "from", "to", "proto", "dport", "id", "expect", "target", "segments", "members", "name");
    }

    @Property(tries = 1500)
    void wrongTypes(@ForAll("samples") Sample s, @ForAll("fields") String field, @ForAll("jsonValues") String value) {
        // replaces every value of that field (as the text spells it) with another JSON value
        String text = s.text().replaceAll("(\"" + field + "\"\\s*:\\s*)(\"[^\"]*\"|[-0-9.eE+]+|true|false|null)",
                "$1" + java.util.regex.Matcher.quoteReplacement(value));
        String withNew = text.replaceFirst("\\{", java.util.regex.Matcher.quoteReplacement("{\"" + field + "\": " + value + ","));
        onlyInputException("f", text, t -> readAny(s.kind(), t));
        onlyInputException("f", withNew, t -> readAny(s.kind(), t));
    }

    @Provide
    Arbitrary<String> snapshotFiles() {
        return Arbitraries.of("topology.json", "router/ip-addr.json", "router/ip-route.json", "router/ip-rule.json",
                "router/sysctl.txt", "router/ss-listen.txt", "nas/ip-route.json", "client/ip-addr.json");
    }

    @Property(tries = 150)
    void garbledFileInAWholeSnapshot(@ForAll("snapshotFiles") String file, @ForAll("edits") String edit) throws IOException {
        Path dir = Files.createTempDirectory("rtimp-prop");
        try {
            Path snap = dir.resolve("snap");
            SnapshotLoaderTest.copyTree(LAB, snap);
            String text = Files.readString(snap.resolve(file));
            String[] parts = edit.split("\\|", 3);
            int pos = Integer.parseInt(parts[0]) % (text.length() + 1);
            int end = Math.min(text.length(), pos + Integer.parseInt(parts[1]));
            Files.writeString(snap.resolve(file), text.substring(0, pos) + parts[2] + text.substring(end));
            try {
                SnapshotLoader.load(snap);
            } catch (InputException e) {
                assertThat(e.file()).startsWith("snap/");
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
