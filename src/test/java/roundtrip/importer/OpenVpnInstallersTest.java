package roundtrip.importer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Problem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * OpenVPN configs as the common installers write them (src/test/resources/openvpn/installers, our own files in
 * their shapes) load, and unknown options are treated as OpenVPN treats them: fatal, unless ignore-unknown-option
 * (given before), setenv opt or setenv FORWARD_COMPATIBLE 1 makes them a warning. As root with OpenVPN installed,
 * every case is also given to the real OpenVPN (in a throw-away network namespace: it stops at the missing keys
 * long before it would touch a network), and the lines it refuses or warns about must be exactly the reader's.
 */
class OpenVpnInstallersTest {
    static final Path DIR = Path.of("src/test/resources/openvpn/installers");

    @TempDir Path tmp;

    private record Read(OpenVpnConfig config, List<Problem> problems) {}

    private static Read read(String name) throws IOException {
        List<Problem> problems = new ArrayList<>();
        OpenVpnConfig c = OpenVpnReader.read(name, Files.readString(DIR.resolve(name)), problems);
        return new Read(c, problems);
    }

    @Test
    void piVpn() throws IOException {
        Read server = read("pivpn-server.conf");
        assertThat(server.config().isServer()).isTrue();
        assertThat(server.config().topology()).isEqualTo(OpenVpnConfig.Topology.SUBNET);
        assertThat(server.config().clientToClient()).isTrue();
        assertThat(server.config().pushes()).extracting(OpenVpnConfig.Option::text).contains("redirect-gateway def1", "block-outside-dns");
        assertThat(server.problems()).isEmpty();
        Read client = read("pivpn-client.ovpn");
        assertThat(client.config().mode()).isEqualTo(OpenVpnConfig.Mode.CLIENT);
        assertThat(client.config().remotes()).extracting(OpenVpnConfig.Remote::host).containsExactly("home.dyn.example.net");
        assertThat(client.config().remotes().get(0).addr()).isNull();
        assertThat(client.problems()).isEmpty();
        assertThat(client.config().text()).doesNotContain("BEGIN", "notARealKey", "CN=phone");
    }

    @Test
    void angristan() throws IOException {
        Read server = read("angristan-server.conf");
        assertThat(server.config().isServer()).isTrue();
        assertThat(server.problems()).extracting((p -> p.message().english())).allMatch(m -> m.contains("IPv6"));
        Read client = read("angristan-client.ovpn");
        assertThat(client.config().port()).isZero();   // nobind
        assertThat(client.problems()).extracting(p -> p.source().line() + " " + p.message().english()).containsExactly(
                "23 OpenVPN does not know \"block-outside-dns\" (an option of OpenVPN on Windows) and ignores it with a warning, "
                        + "as ignore-unknown-option or setenv opt says");
    }

    @Test
    void nyr() throws IOException {
        Read server = read("nyr-server.conf");
        assertThat(String.valueOf(server.config().local())).isEqualTo("192.0.2.10");
        assertThat(server.problems()).isEmpty();
        Read client = read("nyr-client.ovpn");
        assertThat(client.config().remotes()).extracting(OpenVpnConfig.Remote::host).containsExactly("vpn.example.org");
        assertThat(client.problems()).isEmpty();
    }

    @Test
    void whatUsersAddByHand() throws IOException {
        Read c = read("extras-client.conf");
        assertThat(c.config().floatPeer()).isTrue();
        assertThat(c.config().verb()).isEqualTo(4);
        assertThat(c.problems()).extracting(p -> p.source().line() + " " + p.message().english()).containsExactly(
                "25 OpenVPN does not know \"block-outside-dns\" (an option of OpenVPN on Windows) and ignores it with a warning, "
                        + "as ignore-unknown-option or setenv opt says",
                "26 tls-crypt-v2-max-age is an OpenVPN 2.7 option: OpenVPN 2.6 ignores it with a warning, as ignore-unknown-option "
                        + "or setenv opt says",
                "28 OpenVPN does not know \"some-future-option\" and ignores it with a warning, as ignore-unknown-option or setenv opt says",
                "29 plugin /usr/lib/openvpn/openvpn-plugin-down-root.so: a plugin runs inside OpenVPN and may change who is accepted "
                        + "and what is pushed or routed; it is not simulated (taken to change nothing)");
    }

    @Test
    void theWarningsReadInChineseToo() throws IOException {
        List<Problem> all = new ArrayList<>(read("extras-client.conf").problems());
        all.addAll(read("angristan-client.ovpn").problems());
        List<Problem> devNull = new ArrayList<>();
        OpenVpnReader.read("n.conf", "client\ndev null\nremote 192.0.2.1\nlladdr 02:00:00:00:00:01\n", devNull);
        all.addAll(devNull);
        assertThat(all).hasSizeGreaterThan(5);
        for (Problem p : all)
            assertThat(new roundtrip.report.UntranslatedEnglish(List.of()).find(roundtrip.report.Zh.text(p.message()))).as(p.message().english()).isNull();
    }

    /** Small configs and what OpenVPN 2.6 does with them: "ok", "fatal LINE" or "warn LINE,LINE". */
    static final List<String[]> CASES = List.of(
            new String[] {"client\ndev tun\nremote 192.0.2.1\nno-such-option 1\n", "fatal 4"},
            new String[] {"client\ndev tun\nremote 192.0.2.1\nblock-outside-dns\n", "fatal 4"},
            // ignore-unknown-option works for the lines after it only
            new String[] {"client\ndev tun\nfoo-opt\nignore-unknown-option foo-opt\n", "fatal 3"},
            new String[] {"client\ndev tun\nignore-unknown-option --foo-opt bar-opt\nfoo-opt 1 2\nbar-opt\n", "warn 4,5"},
            new String[] {"client\ndev tun\nsetenv opt foo-opt x\n", "warn 3"},
            new String[] {"client\ndev tun\nsetenv FORWARD_COMPATIBLE 1\nfoo-opt\n", "warn 4"},
            // option names are case-sensitive
            new String[] {"client\ndev tun\nRemote 192.0.2.1\n", "fatal 3"},
            new String[] {"client\n--dev tun\nremote 192.0.2.1 1194 udp\nroute-method exe\n", "ok"},
            new String[] {"client\ndev null\nremote 192.0.2.1\n", "ok"},
            new String[] {"client\ndev tun\nremote 192.0.2.1\nmanagement /run/openvpn/c.sock unix\nmute 10\nauth-nocache\n"
                    + "explicit-exit-notify\npersist-tun\nstatus-version 2\n", "ok"});

    @Test
    void unknownOptionsAreFatalUnlessOpenVpnIsToldToIgnoreThem() {
        for (String[] c : CASES) {
            List<Problem> problems = new ArrayList<>();
            InputException e = catchThrowableOfType(() -> OpenVpnReader.read("t.conf", c[0], problems), InputException.class);
            assertThat(readerVerdict(e, problems)).as(c[0]).isEqualTo(c[1]);
            if (e != null) assertThat(e.oneLine()).contains("Unrecognized option");
        }
    }

    private static String readerVerdict(InputException e, List<Problem> problems) {
        if (e != null) return "fatal " + e.line();
        List<String> lines = new ArrayList<>();
        for (Problem p : problems)
            if (p.message().english().contains("ignores it with a warning")) lines.add(String.valueOf(p.source().line()));
        return lines.isEmpty() ? "ok" : "warn " + String.join(",", lines);
    }

    @Test
    void theRealOpenVpnAgrees() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(realOpenVpnUsable(), "skipped: needs root, unshare and openvpn");
        List<String[]> all = new ArrayList<>(CASES);
        try (var files = Files.list(DIR)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList()) {
                List<Problem> problems = new ArrayList<>();
                String text = Files.readString(f);
                OpenVpnReader.read(f.getFileName().toString(), text, problems);
                all.add(new String[] {text, readerVerdict(null, problems)});
            }
        }
        for (String[] c : all) assertThat(realVerdict(c[0])).as(c[0]).isEqualTo(c[1]);
    }

    private static final Pattern UNRECOGNIZED = Pattern.compile("(Options error: )?Unrecognized option or missing or extra parameter\\(s\\) in \\S+:(\\d+):");

    /** What OpenVPN 2.6 prints for a config: its first fatal "Unrecognized option" line, or the lines it only warns about. */
    private String realVerdict(String config) throws Exception {
        Path conf = tmp.resolve("case.conf");
        Files.writeString(conf, config);
        Process p = new ProcessBuilder("timeout", "10", "unshare", "-n", "openvpn", "--config", conf.toString(), "--verb", "3")
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(15, TimeUnit.SECONDS);
        List<String> warned = new ArrayList<>();
        Matcher m = UNRECOGNIZED.matcher(out);
        while (m.find()) {
            if (m.group(1) != null) return "fatal " + m.group(2);
            warned.add(m.group(2));
        }
        return warned.isEmpty() ? "ok" : "warn " + String.join(",", warned);
    }

    private static boolean realOpenVpnUsable() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) return false;
        Process p = new ProcessBuilder("sh", "-c", "command -v openvpn && command -v unshare && command -v timeout").start();
        return p.waitFor() == 0;
    }
}
