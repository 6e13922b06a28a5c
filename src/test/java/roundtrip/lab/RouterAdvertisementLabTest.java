package roundtrip.lab;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import roundtrip.fix.Change;
import roundtrip.model.Ip;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Source;
import roundtrip.model.Sysctls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim `ra-ignored-while-forwarding` rests on (ipv6_accept_ra, net/ipv6/ndisc.c), on the real kernel: a router
 * runs radvd on a link, and a host on it installs the advertised default route (`proto ra`) unless its device forwards
 * with accept_ra 1; with accept_ra 2 it takes it while forwarding. For each setting the model's
 * {@link Sysctls#acceptsRa} must say what the kernel did. Root and radvd only; the namespaces are this test's own.
 */
class RouterAdvertisementLabTest {
    private static final String PREFIX = String.format("rtra%04x-", (int) (Math.random() * 0x10000));
    private static final String ROUTER = PREFIX + "r", HOST = PREFIX + "h";

    @Test
    void aForwardingDeviceTakesAdvertisementsOnlyWithAcceptRa2() throws Exception {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/radvd")), "radvd is not installed");
        Path dir = Files.createTempDirectory("roundtrip-ra");
        Process radvd = null;
        try {
            run("ip", "netns", "add", ROUTER);
            run("ip", "netns", "add", HOST);
            run("ip", "link", "add", "lan", "netns", ROUTER, "type", "veth", "peer", "name", "eth0", "netns", HOST);
            run("ip", "netns", "exec", ROUTER, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
            run("ip", "-n", ROUTER, "link", "set", "lan", "up");
            run("ip", "-n", ROUTER, "-6", "addr", "add", "2001:db8:5::1/64", "dev", "lan", "nodad");
            Files.writeString(dir.resolve("radvd.conf"), """
                    interface lan {
                      AdvSendAdvert on;
                      MinRtrAdvInterval 3;
                      MaxRtrAdvInterval 4;
                      prefix 2001:db8:5::/64 { };
                    };
                    """);
            radvd = new ProcessBuilder("ip", "netns", "exec", ROUTER, "radvd", "-n", "-C", dir.resolve("radvd.conf").toString(),
                    "-p", dir.resolve("radvd.pid").toString(), "-m", "logfile", "-l", dir.resolve("radvd.log").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("radvd.out").toFile()).start();
            List<String> seen = new ArrayList<>();
            for (int[] s : new int[][]{{0, 1}, {1, 1}, {1, 2}, {0, 0}}) {
                int forwarding = s[0], acceptRa = s[1];
                run("ip", "-n", HOST, "link", "set", "eth0", "down");
                quietly("ip", "-n", HOST, "-6", "route", "flush", "dev", "eth0");   // what the last setting learned
                run("ip", "netns", "exec", HOST, "sysctl", "-qw", "net.ipv6.conf.eth0.forwarding=" + forwarding,
                        "net.ipv6.conf.eth0.accept_ra=" + acceptRa);
                run("ip", "-n", HOST, "link", "set", "eth0", "up");   // sends a router solicitation: radvd answers at once
                boolean kernel = defaultRouteWithin(7_000);
                Sysctls model = new Sysctls(Map.of("net.ipv6.conf.eth0.forwarding", String.valueOf(forwarding),
                        "net.ipv6.conf.eth0.accept_ra", String.valueOf(acceptRa)), Map.of());
                seen.add("forwarding=" + forwarding + " accept_ra=" + acceptRa + ": kernel " + kernel + ", model " + model.acceptsRa("eth0"));
                assertThat(model.acceptsRa("eth0")).as(seen.get(seen.size() - 1)).isEqualTo(kernel);
            }
            // the kernel took the route in two of the four settings, and ignored it in the other two
            assertThat(seen).filteredOn(l -> l.contains("kernel true")).hasSize(2);

            // the fix `why` proposes, its commands run verbatim on the forwarding host that ignores advertisements: the
            // route is there at once, and the next advertisement takes it over (its expiry drops to the router's lifetime)
            run("ip", "-n", HOST, "link", "set", "eth0", "down");
            quietly("ip", "-n", HOST, "-6", "route", "flush", "dev", "eth0");
            run("ip", "netns", "exec", HOST, "sysctl", "-qw", "net.ipv6.conf.eth0.forwarding=1", "net.ipv6.conf.eth0.accept_ra=1");
            run("ip", "-n", HOST, "link", "set", "eth0", "up");
            assertThat(defaultRouteWithin(5_000)).as("ignored before the fix").isFalse();
            String routerLinkLocal = run("ip", "-n", ROUTER, "-6", "-o", "addr", "show", "dev", "lan", "scope", "link")
                    .replaceAll("(?s).*inet6 (fe80::[0-9a-f:]+)/.*", "$1");
            Route ra = new Route(Route.TABLE_MAIN, RouteType.UNICAST, Prefix.any(Ip.Family.IPV6), Ip.parse(routerLinkLocal), "eth0",
                    null, 1024, null, 0, false, Source.NONE);
            for (Change c : List.of(new Change.SetSysctl("h", "net.ipv6.conf.eth0.accept_ra", "2"), new Change.RaRoute("h", ra, 1800)))
                run("ip", "netns", "exec", HOST, "sh", "-c", c.command());
            assertThat(run("ip", "-n", HOST, "-6", "route", "show", "default")).contains("via " + routerLinkLocal).contains("proto ra");
            // pasted again, or after an advertisement installed the route first: the route command still succeeds (with
            // `ip route add` it fails, "File exists")
            run("ip", "netns", "exec", HOST, "sh", "-c", new Change.RaRoute("h", ra, 1800).command());
            long end = System.currentTimeMillis() + 8_000;
            int expires = Integer.MAX_VALUE;
            while (expires > 60 && System.currentTimeMillis() < end) {
                String line = run("ip", "-n", HOST, "-6", "route", "show", "default");
                expires = line.matches("(?s).*expires (\\d+)sec.*") ? Integer.parseInt(line.replaceAll("(?s).*expires (\\d+)sec.*", "$1")) : 0;
                Thread.sleep(250);
            }
            assertThat(expires).as("the advertisement refreshed the route the fix added (radvd's lifetime is 12 s)").isBetween(1, 60);
        } finally {
            if (radvd != null) {
                radvd.destroy();
                radvd.waitFor(3, TimeUnit.SECONDS);
            }
            quietly("ip", "netns", "del", ROUTER);
            quietly("ip", "netns", "del", HOST);
            try (var files = Files.list(dir)) { for (Path p : files.toList()) Files.deleteIfExists(p); }
            Files.deleteIfExists(dir);
        }
    }

    /** Whether the host has an IPv6 default route learned from an advertisement, polling up to {@code millis}. */
    private static boolean defaultRouteWithin(long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        do {
            if (run("ip", "-n", HOST, "-6", "route", "show", "default").contains("proto ra")) return true;
            Thread.sleep(250);
        } while (System.currentTimeMillis() < end);
        return false;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + ": " + out);
        return out;
    }

    private static void quietly(String... command) {
        try {
            run(command);
        } catch (IOException | InterruptedException ignored) {
            // already gone
        }
    }
}
