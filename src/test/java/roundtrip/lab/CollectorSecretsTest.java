package roundtrip.lab;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret leaves a host (issue 9 item 8). The collector runs, under dash, bash and busybox ash, in the network
 * namespaces of a lab whose hosts run wireguard-go, with /etc/openvpn replaced (in a private mount namespace, never in
 * the root one) by configs full of secrets: inline keys, certificates, {@code <auth-user-pass>},
 * {@code <http-proxy-user-pass>}, {@code <tls-crypt-v2>}, a PEM block outside any tag, CRLF line ends, indented tags,
 * files named by auth-user-pass, askpass, key and management inside the client-config-dir. Every secret is then searched
 * for in every file of every archive. A collector run in one host's network namespace but another host's mount
 * namespace (where the other's wireguard-go socket lives, as on a machine where several namespaces share /run) must
 * not take the other's WireGuard configuration.
 */
@Execution(ExecutionMode.CONCURRENT)   // beside the other suites: its labs have their own namespaces
class CollectorSecretsTest {
    private static final List<String> SHELLS = List.of("dash", "bash", "busybox ash");

    @TempDir Path tmp;

    /** Every secret the configs below hold: none may appear in an archive. */
    static final List<String> SECRETS = List.of("SECRET-USER-4471", "SECRET-PASS-9913", "SECRET-PROXY-USER-2208",
            "SECRET-PROXY-PASS-7730", "SECRET-TLSCRYPTV2-5150", "SECRET-KEY-3321", "SECRET-CERT-8842", "SECRET-PKCS12-6603",
            "SECRET-STATIC-1187", "SECRET-PASTED-PEM-4409", "SECRET-CRLF-KEY-2294", "SECRET-INDENTED-6128", "SECRET-CONN-PROXY-3355",
            "SECRET-ASKPASS-FILE-8016", "SECRET-AUTHFILE-5547", "SECRET-MGMT-PW-0042", "SECRET-CCD-KEY-7713", "SECRET-TAB-5511",
            "BEGIN PRIVATE KEY", "BEGIN OpenVPN Static key");

    private static void write(Path p, String text) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** A copy of /etc/openvpn as a user with secrets in every place OpenVPN allows them has it. */
    private Path etcOpenVpn() throws Exception {
        Path etc = tmp.resolve("etc-openvpn");
        write(etc.resolve("server/server.conf"), """
                port 1194
                proto udp
                dev tun0
                topology subnet
                server 10.8.0.0 255.255.255.0
                key server.key
                askpass ccd/passphrase.txt
                management 127.0.0.1 7505 ccd/management-pw.txt
                tls-crypt-v2 tc-v2.key
                client-config-dir ccd
                status status.log 10
                <ca>
                -----BEGIN CERTIFICATE-----
                SECRET-CERT-8842
                -----END CERTIFICATE-----
                </ca>
                <dh>
                -----BEGIN DH PARAMETERS-----
                SECRET-STATIC-1187
                -----END DH PARAMETERS-----
                </dh>
                """);
        write(etc.resolve("server/server.key"), "-----BEGIN PRIVATE KEY-----\nSECRET-KEY-3321\n-----END PRIVATE KEY-----\n");
        write(etc.resolve("server/ccd/laptop"), "iroute 192.168.50.0 255.255.255.0\n");
        // secrets a careless admin keeps next to the CCD files: named by the config, never copied
        write(etc.resolve("server/ccd/passphrase.txt"), "SECRET-ASKPASS-FILE-8016\n");
        write(etc.resolve("server/ccd/management-pw.txt"), "SECRET-MGMT-PW-0042\n");
        // a CCD file with a key pasted into it: redacted like a config
        write(etc.resolve("server/ccd/phone"), "ifconfig-push 10.8.0.9 255.255.255.0\n<key>\nSECRET-CCD-KEY-7713\n</key>\n");
        write(etc.resolve("server/status.log"), """
                OpenVPN CLIENT LIST
                Updated,2026-12-02 07:17:44
                Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since
                laptop,192.0.2.7:51234,1994,1947,2026-12-02 07:17:41
                ROUTING TABLE
                Virtual Address,Common Name,Real Address,Last Ref
                10.8.0.2,laptop,192.0.2.7:51234,2026-12-02 07:17:41
                GLOBAL STATS
                Max bcast/mcast queue length,0
                END
                """);
        write(etc.resolve("client/home.conf"), """
                client
                dev tun1
                remote 192.0.2.1 1194
                auth-user-pass creds.txt
                http-proxy proxy.example.net 3128 proxy-auth.txt basic
                <auth-user-pass>
                SECRET-USER-4471
                SECRET-PASS-9913
                </auth-user-pass>
                <http-proxy-user-pass>
                SECRET-PROXY-USER-2208
                SECRET-PROXY-PASS-7730
                </http-proxy-user-pass>
                <tls-crypt-v2>
                -----BEGIN OpenVPN tls-crypt-v2 client key-----
                SECRET-TLSCRYPTV2-5150
                -----END OpenVPN tls-crypt-v2 client key-----
                </tls-crypt-v2>
                <pkcs12>
                SECRET-PKCS12-6603
                </pkcs12>
                   <key>   # indented, with a comment
                SECRET-INDENTED-6128
                   </key>
                	<cert>
                SECRET-TAB-5511
                	</cert>
                <connection>
                remote 192.0.2.2 443 tcp
                <http-proxy-user-pass>
                SECRET-CONN-PROXY-3355
                </http-proxy-user-pass>
                </connection>
                """);
        write(etc.resolve("client/creds.txt"), "SECRET-AUTHFILE-5547\n");
        // Windows line ends, and a key pasted outside any tag (OpenVPN refuses it, the collector still must not copy it)
        write(etc.resolve("legacy.conf"), "dev tun2\r\nsecret static.key\r\n<key>\r\nSECRET-CRLF-KEY-2294\r\n</key>\r\n"
                + "-----BEGIN PRIVATE KEY-----\r\nSECRET-PASTED-PEM-4409\r\n-----END PRIVATE KEY-----\r\nverb 3\r\n");
        return etc;
    }

    @Test
    void noSecretLeavesAHostAndNoOtherNamespacesWireGuardIsMixedIn() throws Exception {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        Assumptions.assumeTrue(installed("wireguard-go") && installed("wg") && installed("busybox") && installed("dash")
                && Files.isDirectory(Path.of("/etc/openvpn")), "skipped: needs wireguard-go, wg, busybox, dash and /etc/openvpn");
        Path etc = etcOpenVpn();
        Path script = tmp.resolve("collect.sh");
        Files.writeString(script, cli("collect-script"));
        Path file = tmp.resolve("wg.yaml");
        Files.writeString(file, """
                description: two wireguard-go hosts and one without WireGuard
                hosts:
                  a:
                    setup: "ip addr add 10.0.0.1/24 dev eth0"
                    wireguard:
                      wg0:
                        address: 10.9.0.1/24
                        listen-port: 51820
                        peers: [{peer: "b:wg0", allowed-ips: [10.9.0.2/32], endpoint: "10.0.0.2:51820"}]
                  b:
                    setup: "ip addr add 10.0.0.2/24 dev eth0"
                    wireguard:
                      wg0:
                        address: 10.9.0.2/24
                        listen-port: 51820
                        peers: [{peer: "a:wg0", allowed-ips: [10.9.0.1/32], endpoint: "10.0.0.1:51820"}]
                  c:
                    setup: "ip addr add 10.0.0.3/24 dev eth0"
                segments:
                  link: [a:eth0, b:eth0, c:eth0]
                """);
        Map<String, Map<String, String>> archives = new LinkedHashMap<>();
        Map<String, String> logs = new LinkedHashMap<>();
        String aPublic, bPublic;
        try (Lab lab = Lab.build(Scenario.load(file), tmp.resolve("logs"))) {
            aPublic = lab.wireGuardPublicKey("a", "wg0");
            bPublic = lab.wireGuardPublicKey("b", "wg0");
            long holderA = lab.mountHolder("a"), holderB = lab.mountHolder("b");
            int i = 0;
            // each host in its own namespaces, then b's and c's network namespace seeing a's /run/wireguard
            String[][] runs = {{"a", "a", String.valueOf(holderA)}, {"b", "b", String.valueOf(holderB)}, {"c", "c", null},
                    {"b-in-a", "b", String.valueOf(holderA)}, {"c-in-a", "c", String.valueOf(holderA)}};
            for (String[] run : runs) {
                String shell = SHELLS.get(i++ % SHELLS.size());
                Path out = tmp.resolve(run[0] + ".tar.gz");
                List<String> cmd = new ArrayList<>(List.of("timeout", "60", "nsenter", "--net=/run/netns/" + lab.namespaceOf(run[1])));
                if (run[2] != null) cmd.add("--mount=/proc/" + run[2] + "/ns/mnt");
                // a private mount namespace of its own: /etc/openvpn is the secret-laden copy there only
                cmd.addAll(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                        "mount --bind \"$1\" /etc/openvpn && shift && exec \"$@\"", "sh", etc.toString()));
                cmd.addAll(List.of(shell.split(" ")));
                cmd.addAll(List.of(script.toString(), run[0], out.toString()));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(70, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(shell + " for " + run[0] + ": " + log).isZero();
                archives.put(run[0], unpack(out));
                logs.put(run[0], log);
            }
        }
        for (var archive : archives.entrySet())
            for (var f : archive.getValue().entrySet())
                for (String secret : SECRETS)
                    assertThat(f.getValue()).as(archive.getKey() + ": " + f.getKey()).doesNotContain(secret);

        Map<String, String> a = archives.get("a");
        // what is not secret is kept: the structure of the configs, CCD routes, the status file
        assertThat(a.get("a/openvpn/home.conf")).contains("remote 192.0.2.1 1194", "<auth-user-pass>\n(redacted)\n</auth-user-pass>",
                "<connection>\nremote 192.0.2.2 443 tcp\n<http-proxy-user-pass>\n(redacted)\n</http-proxy-user-pass>\n</connection>");
        assertThat(a.get("a/openvpn/ccd/laptop")).isEqualTo("iroute 192.168.50.0 255.255.255.0\n");
        assertThat(a.get("a/openvpn/ccd/phone")).startsWith("ifconfig-push 10.8.0.9 255.255.255.0\n<key>\n(redacted)\n</key>");
        assertThat(a).doesNotContainKeys("a/openvpn/ccd/passphrase.txt", "a/openvpn/ccd/management-pw.txt");
        assertThat(a.get("a/openvpn/status.log")).startsWith("OpenVPN CLIENT LIST");
        assertThat(logs.get("a")).contains("passphrase.txt holds a secret the config names: not copied");

        // each host's own WireGuard: private key redacted, public key kept for pairing
        assertThat(a.get("a/wg/wg0.conf")).contains("PrivateKey = (redacted)", "# PublicKey = " + aPublic, "PublicKey = " + bPublic);
        assertThat(archives.get("b").get("b/wg/wg0.conf")).contains("# PublicKey = " + bPublic);
        // in b's network namespace a's socket is visible but is not b's: b's own is in a mount namespace this run does
        // not see, so no wg0 at all rather than a's; c has no wg0 whatever the sockets say
        assertThat(archives.get("b-in-a")).doesNotContainKey("b-in-a/wg/wg0.conf");
        assertThat(logs.get("b-in-a")).contains("wg wg0: ").contains("is not a socket of this network namespace");
        assertThat(archives.get("c-in-a")).doesNotContainKey("c-in-a/wg/wg0.conf");
        assertThat(archives.get("c")).doesNotContainKey("c/wg/wg0.conf");
    }

    private static Map<String, String> unpack(Path archive) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null)
                if (e.isFile()) files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
        }
        return files;
    }

    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            assertThat(Main.run(o, System.err, args)).isZero();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean installed(String tool) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    }
}
