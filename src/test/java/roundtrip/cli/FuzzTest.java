package roundtrip.cli;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Every file of a snapshot, damaged in every way a real file gets damaged, through the whole command: the only
 * outcomes allowed are a load (exit 0 or 1) or one line naming the file with exit 2 — never an internal error,
 * never a stack trace, never a hang.
 */
class FuzzTest {
    private static final Path EXAMPLE = Path.of("examples/s2-missing-return-route");
    private static Path pristine;
    private static List<String> files;

    enum Damage { TRUNCATE, FLIP_BYTES, BINARY_GARBAGE, UTF16, LATIN1_BYTES, NUL_BYTES, HUGE, EMPTY, DUPLICATE_HALF }

    @BeforeContainer
    static void prepare() throws IOException {
        pristine = Files.createTempDirectory("roundtrip-fuzz");
        copy(EXAMPLE, pristine);
        // a WireGuard configuration too, so its reader is damaged as well
        Files.createDirectories(pristine.resolve("snapshot/client/wg"));
        Files.writeString(pristine.resolve("snapshot/client/wg/wg0.conf"), """
                [Interface]
                ListenPort = 51820
                PrivateKey = QMcOPZFQtF5yYkTTcrBohsYEM9fJ9rIM2PH4hj5mLVo=

                [Peer]
                PublicKey = TInNaEnR87yUNCD+H1DaYYBtzWpkVTzAzAKZyJovnBY=
                AllowedIPs = 10.198.0.0/24
                Endpoint = 10.200.0.1:51820
                """);
        try (Stream<Path> walk = Files.walk(pristine)) {
            files = walk.filter(Files::isRegularFile).map(p -> pristine.relativize(p).toString()).sorted().toList();
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException { delete(pristine); }

    @Provide Arbitrary<String> file() { return Arbitraries.of(files); }

    @Property(tries = 250)
    void damagedInputGivesALoadOrOneLineNamingTheFile(@ForAll("file") String file, @ForAll Damage damage, @ForAll long seed) throws IOException {
        Path work = Files.createTempDirectory("roundtrip-fuzz-case");
        try {
            copy(pristine, work);
            Path target = work.resolve(file);
            Files.write(target, damage(Files.readAllBytes(target), damage, new Random(seed)));
            CliTest.Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliTest.run("check", "--format", "json",
                    "--snapshot", work.resolve("snapshot").toString(), "--probes", work.resolve("probes.json").toString()));
            String what = file + " " + damage + ": exit " + r.exit() + "\n" + r.err();
            assertThat(r.exit()).as(what).isIn(0, 1, 2);
            assertThat(r.err()).as(what).doesNotContain("internal error").doesNotContain("\tat ").doesNotContain("Exception");
            if (r.exit() == 2) {
                assertThat(r.err().strip().lines().count()).as(what).isEqualTo(1);
                String name = Path.of(file).getFileName().toString();
                assertThat(r.err()).as(what).contains(name.equals("probes.json") ? "probes.json" : Path.of(file).getParent().getFileName() + "/" + name);
            }
        } finally {
            delete(work);
        }
    }

    static byte[] damage(byte[] in, Damage d, Random rnd) {
        switch (d) {
            case TRUNCATE -> { return java.util.Arrays.copyOf(in, in.length == 0 ? 0 : rnd.nextInt(in.length)); }
            case FLIP_BYTES -> {
                byte[] out = in.clone();
                for (int i = 0; i < 1 + rnd.nextInt(8) && out.length > 0; i++) out[rnd.nextInt(out.length)] = (byte) rnd.nextInt(256);
                return out;
            }
            case BINARY_GARBAGE -> { byte[] out = new byte[1 + rnd.nextInt(4096)]; rnd.nextBytes(out); return out; }
            case UTF16 -> { return new String(in, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16); }
            case LATIN1_BYTES -> { return (new String(in, StandardCharsets.UTF_8) + " # caf\u00e9 \u00fc").getBytes(StandardCharsets.ISO_8859_1); }
            case NUL_BYTES -> {
                byte[] out = in.clone();
                if (out.length > 0) out[rnd.nextInt(out.length)] = 0;
                return out;
            }
            case HUGE -> {
                // about 20 MB: the same content many times over
                byte[] out = new byte[Math.max(1, 20_000_000 / Math.max(1, in.length)) * Math.max(1, in.length)];
                for (int i = 0; i < out.length; i++) out[i] = in.length == 0 ? (byte) 'x' : in[i % in.length];
                return out;
            }
            case EMPTY -> { return new byte[0]; }
            default -> { return java.util.Arrays.copyOf(in, in.length + in.length / 2); }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t); else Files.copy(p, t);
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) { walk.forEach(all::add); }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) Files.deleteIfExists(p);
    }
}
