package roundtrip.lab;

import roundtrip.model.Text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A scenario materialised in Linux network namespaces, for comparing the simulator with the real kernel.
 *
 * <p>Safety: every namespace is named with a random per-run prefix ("rt" + 6 hex digits); nothing is
 * created or configured in the root namespace (veth pairs are created between namespaces directly); every
 * command runs under {@code timeout}; on {@link #close()} and from a JVM shutdown hook, the processes
 * started in the namespaces are killed and each namespace is deleted by its exact name.
 */
public final class Lab implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COMMAND_TIMEOUT_S = 10;
    /**
     * The sysctls the kernel model reads (design §1a's list, plus arp_ignore, route_localnet, icmp_echo_ignore_all), and
     * IPv6's per-device switches: forwarding (ip6_forward), disable_ipv6, accept_ra, accept_dad, proxy_ndp (ndisc_recv_ns).
     */
    private static final Pattern SNAPSHOT_SYSCTL = Pattern.compile(
            "net\\.ipv4\\.ip_forward|net\\.ipv4\\.icmp_echo_ignore_all"
            + "|net\\.ipv4\\.conf\\.[^.]+\\.(rp_filter|forwarding|src_valid_mark|proxy_arp|accept_local|arp_ignore|route_localnet)"
            + "|net\\.ipv6\\.conf\\.[^.]+\\.(forwarding|force_forwarding|disable_ipv6|accept_ra|accept_dad|proxy_ndp)"
            + "|net\\.bridge\\.bridge-nf-call-(iptables|ip6tables|arptables)"
            + "|net\\.netfilter\\.nf_conntrack_tcp_(loose|be_liberal)");

    private final Scenario scenario;
    private final String prefix;
    private final Map<String, String> hostNamespaces = new LinkedHashMap<>();
    /** Every namespace this lab created, hosts and switches, by exact name. */
    private final List<String> createdNamespaces = Collections.synchronizedList(new ArrayList<>());
    final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
    private final Path logFile;
    private final PrintWriter log;
    private final Thread shutdownHook;
    private boolean closed;
    private Map<String, List<InetAddress>> addressesByHost;
    /** WireGuard and OpenVPN daemons of this lab (see {@link LabTunnels}). */
    private final LabTunnels tunnels = new LabTunnels(this);

    private Lab(Scenario scenario, Path logDir) throws IOException {
        this.scenario = scenario;
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        this.prefix = "rt" + HexFormat.of().formatHex(random);
        Files.createDirectories(logDir);
        this.logFile = logDir.resolve(prefix + "-" + scenario.name + ".log");
        this.log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true);
        this.shutdownHook = new Thread(this::cleanUp, "lab-cleanup-" + prefix);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Builds the scenario's network; on any failure everything created so far is removed again. */
    public static Lab build(Scenario scenario, Path logDir) throws IOException {
        Lab lab = new Lab(scenario, logDir);
        try {
            lab.materialise();
            return lab;
        } catch (RuntimeException | IOException e) {
            lab.close();
            throw e;
        }
    }

    /** Null when this process can build labs (root, a working {@code ip netns}, the tools); else why not. */
    public static roundtrip.model.Message unavailableReason() {
        // lets a developer run the quick unit tests without the namespace suites (ROUNDTRIP_NO_LAB=1 mvn test)
        if (System.getenv("ROUNDTRIP_NO_LAB") != null) return roundtrip.model.Message.of(Sentences.NO_LAB_VARIABLE_SET, "ROUNDTRIP_NO_LAB");
        try {
            Process id = new ProcessBuilder("id", "-u").start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!uid.equals("0")) return roundtrip.model.Message.of(Sentences.NEEDS_ROOT, uid);
            Process ip = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            ip.getInputStream().readAllBytes();
            if (!ip.waitFor(5, TimeUnit.SECONDS) || ip.exitValue() != 0) return roundtrip.model.Message.of(Sentences.NETNS_DOES_NOT_WORK);
            for (String tool : List.of("iptables-restore", "tcpdump", "timeout")) {
                Process which = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
                if (which.waitFor() != 0) return roundtrip.model.Message.of(Sentences.TOOL_NOT_INSTALLED, tool);
            }
            return null;
        } catch (IOException | InterruptedException e) {
            return roundtrip.model.Message.of(Sentences.CANNOT_RUN_IP, e.getMessage());
        }
    }

    public String prefix() { return prefix; }
    public Path logFile() { return logFile; }
    public Scenario scenario() { return scenario; }

    public String namespaceOf(String host) {
        String ns = hostNamespaces.get(host);
        if (ns == null) throw new IllegalArgumentException("unknown host " + host);
        return ns;
    }

    // ---------------------------------------------------------------- building

    private void materialise() throws IOException {
        for (String host : scenario.hosts.keySet()) {
            String ns = prefix + "-" + host;
            createNamespace(ns);
            // New namespaces copy the root namespace's ip_forward and rp_filter (devconf_inherit_init_net=0):
            // start every host from the kernel defaults so the result does not depend on the machine.
            must("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0",
                    "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
            // IPv6 starts from its defaults already (a new namespace does not copy them), but said explicitly; no duplicate
            // address detection on the interfaces made from here on, so no address is still tentative when probes run
            must("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=0",
                    "net.ipv6.conf.default.forwarding=0", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
            hostNamespaces.put(host, ns);
        }
        int switchCount = 0;
        for (var segment : scenario.segments.entrySet()) {
            List<String[]> members = segment.getValue().stream().map(m -> m.split(":", 2)).toList();
            if (members.size() == 2) {
                String[] a = members.get(0), b = members.get(1);
                must("ip", "-n", namespaceOf(a[0]), "link", "add", "name", a[1], "type", "veth",
                        "peer", "name", b[1], "netns", namespaceOf(b[0]));
            } else {
                // A hidden switch: a bridge in its own namespace, one veth per member. Not a host.
                String sw = prefix + "-sw" + (switchCount++);
                createNamespace(sw);
                // New namespaces may start with bridge-nf-call-* = 1; a plain switch must not run iptables.
                run(List.of("ip", "netns", "exec", sw, "sh", "-c",
                        "for f in /proc/sys/net/bridge/bridge-nf-call-*; do [ -e \"$f\" ] && echo 0 > \"$f\"; done; true"), null);
                // The switch has no IPv6 of its own (no router solicitations or MLD reports from its ports), and it floods
                // multicast, so neighbour solicitations reach every member whatever MLD snooping would have learnt.
                must("ip", "netns", "exec", sw, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
                must("ip", "-n", sw, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
                for (int i = 0; i < members.size(); i++) {
                    String[] m = members.get(i);
                    must("ip", "-n", sw, "link", "add", "p" + i, "type", "veth", "peer", "name", m[1], "netns", namespaceOf(m[0]));
                    must("ip", "-n", sw, "link", "set", "p" + i, "master", "br0");
                    must("ip", "-n", sw, "link", "set", "p" + i, "up");
                }
                must("ip", "-n", sw, "link", "set", "br0", "up");
            }
        }
        for (var host : scenario.hosts.entrySet()) {
            String ns = namespaceOf(host.getKey());
            must("ip", "-n", ns, "link", "set", "lo", "up");
            for (List<String> members : scenario.segments.values())
                for (String member : members)
                    if (member.startsWith(host.getKey() + ":"))
                        must("ip", "-n", ns, "link", "set", member.substring(member.indexOf(':') + 1), "up");
        }
        tunnels.startWireGuard(); // interfaces exist before setup lines route through them
        for (var host : scenario.hosts.entrySet()) {
            String ns = namespaceOf(host.getKey());
            Scenario.HostSpec spec = host.getValue();
            for (var sysctl : spec.sysctl.entrySet())
                must("ip", "netns", "exec", ns, "sysctl", "-w", sysctl.getKey() + "=" + sysctl.getValue());
            for (String line : spec.setup.split("\n")) {
                if (line.isBlank() || line.trim().startsWith("#")) continue;
                must("ip", "netns", "exec", ns, "sh", "-c", line);
            }
            if (!spec.iptables.isBlank()) {
                Result r = run(List.of("ip", "netns", "exec", ns, "iptables-restore"), spec.iptables);
                if (r.exit != 0) throw new IllegalStateException(host.getKey() + ": iptables-restore failed: " + r.stderr);
            }
            if (!spec.ip6tables.isBlank()) {
                Result r = run(List.of("ip", "netns", "exec", ns, "ip6tables-restore"), spec.ip6tables);
                if (r.exit != 0) throw new IllegalStateException(host.getKey() + ": ip6tables-restore failed: " + r.stderr);
            }
            if (!spec.nft.isBlank()) {
                Result r = run(List.of("ip", "netns", "exec", ns, "nft", "-f", "-"), spec.nft);
                if (r.exit != 0) throw new IllegalStateException(host.getKey() + ": nft -f failed: " + r.stderr);
            }
            if (!spec.nftJson.isBlank()) {
                Result r = run(List.of("ip", "netns", "exec", ns, "nft", "-j", "-f", "-"), spec.nftJson);
                if (r.exit != 0) throw new IllegalStateException(host.getKey() + ": nft -j -f failed: " + r.stderr);
            }
        }
        tunnels.addWireGuardPeers(); // the VPNs need the underlay that setup built
        tunnels.startWgQuick();      // as at boot: wg-quick@ after the network is up
        tunnels.refreshWgQuickPeers();
        tunnels.startOpenVpn();
        tunnels.runPostSetup();
        for (var host : scenario.hosts.entrySet())
            if (!host.getValue().listen.isEmpty()) startServices(host.getKey(), host.getValue().listen);
    }

    private void createNamespace(String ns) {
        // Recorded before creation so that cleanup also covers a half-created namespace.
        createdNamespaces.add(ns);
        must("ip", "netns", "add", ns);
    }

    private void startServices(String host, List<String> services) throws IOException {
        // Bounded even if this JVM dies without running its shutdown hook.
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespaceOf(host), "timeout", "1800"));
        command.addAll(javaCommand(EchoService.class, false)); // one socket per service, bound to :: for both families
        command.addAll(services);
        log("start " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        processes.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try { return out.readLine(); } catch (IOException e) { return null; }
        });
        try {
            String line = ready.get(15, TimeUnit.SECONDS);
            if (!"READY".equals(line)) throw new IllegalStateException(host + ": echo service did not start (see " + logFile + ")");
        } catch (Exception e) {
            if (e instanceof IllegalStateException ise) throw ise;
            throw new IllegalStateException(host + ": echo service did not start in time (see " + logFile + ")", e);
        }
    }

    /** {@code ipv4Only}: the JVM opens AF_INET sockets (java.net.preferIPv4Stack), else AF_INET6 ones that take both families. */
    private static List<String> javaCommand(Class<?> main, boolean ipv4Only) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String classpath;
        try {
            // The lab's own classes need nothing but the JDK; their location works under surefire too.
            classpath = Paths.get(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            classpath = System.getProperty("java.class.path");
        }
        return List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-Djava.net.preferIPv4Stack=" + ipv4Only, "-cp", classpath, main.getName());
    }

    // ---------------------------------------------------------------- snapshot

    /** Writes the design §1a snapshot of every host (switches are invisible) plus topology.json. */
    public void writeSnapshot(Path dir) throws IOException {
        Files.createDirectories(dir);
        run(List.of("modprobe", "-q", "nf_conntrack"), null); // lets the nf_conntrack sysctls exist; not a config change
        for (String host : scenario.hosts.keySet()) {
            String ns = namespaceOf(host);
            Path hostDir = Files.createDirectories(dir.resolve(host));
            Files.writeString(hostDir.resolve("ip-addr.json"), must("ip", "-n", ns, "-j", "-d", "addr", "show"));
            Files.writeString(hostDir.resolve("ip-route.json"), must("ip", "-n", ns, "-j", "-d", "route", "show", "table", "all"));
            Files.writeString(hostDir.resolve("ip-rule.json"), must("ip", "-n", ns, "-j", "rule", "show"));
            // the IPv6 files of design §1a, as the collector writes them where the host has IPv6
            Files.writeString(hostDir.resolve("ip6-route.json"), must("ip", "-n", ns, "-6", "-j", "-d", "route", "show", "table", "all"));
            Files.writeString(hostDir.resolve("ip6-rule.json"), must("ip", "-n", ns, "-6", "-j", "rule", "show"));
            // the NDP proxy entries that ndisc_recv_ns answers for (with proxy_ndp on the receiving device)
            Files.writeString(hostDir.resolve("ip6-neigh-proxy.json"), must("ip", "-n", ns, "-6", "-j", "neigh", "show", "proxy"));
            Files.writeString(hostDir.resolve("iptables-save.txt"), must("ip", "netns", "exec", ns, "iptables-save"));
            // the collector's ipset.txt: the sets -m set looks up (where ipset is installed and the host has sets)
            Result ipset = run(List.of("ip", "netns", "exec", ns, "sh", "-c", "command -v ipset >/dev/null && ipset save"), null);
            if (ipset.exit == 0 && !ipset.stdout.isBlank()) Files.writeString(hostDir.resolve("ipset.txt"), ipset.stdout);
            Result ip6tables = run(List.of("ip", "netns", "exec", ns, "ip6tables-save"), null);
            if (ip6tables.exit == 0) Files.writeString(hostDir.resolve("ip6tables-save.txt"), ip6tables.stdout);
            // always, when nft is installed: iptables-nft's tables show up there too, as on real hosts
            Result nft = run(List.of("ip", "netns", "exec", ns, "nft", "-j", "list", "ruleset"), null);
            if (nft.exit == 0) Files.writeString(hostDir.resolve("nft.json"), nft.stdout);
            Files.writeString(hostDir.resolve("ss-listen.txt"), must("ip", "netns", "exec", ns, "ss", "-Hlntu"));
            Files.writeString(hostDir.resolve("sysctl.txt"), snapshotSysctls(ns));
            Map<String, String> saved = scenario.hosts.get(host).saved;
            if (!saved.isEmpty()) {
                Path savedDir = Files.createDirectories(hostDir.resolve("saved"));
                for (var file : saved.entrySet()) Files.writeString(savedDir.resolve(file.getKey()), file.getValue());
            }
        }
        tunnels.writeSnapshot(dir);
        ObjectNode topology = JSON.createObjectNode();
        ArrayNode segments = topology.putArray("segments");
        for (var segment : scenario.segments.entrySet()) {
            ObjectNode s = segments.addObject();
            s.put("name", segment.getKey());
            ArrayNode members = s.putArray("members");
            segment.getValue().forEach(members::add);
        }
        Files.writeString(dir.resolve("topology.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(topology) + "\n");
    }

    private String snapshotSysctls(String ns) {
        Result all = run(List.of("ip", "netns", "exec", ns, "sysctl", "-a"), null);
        StringBuilder out = new StringBuilder();
        for (String line : all.stdout.split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0 && SNAPSHOT_SYSCTL.matcher(line.substring(0, eq)).matches()) out.append(line).append('\n');
        }
        return out.toString();
    }

    /** Writes the probes in the design §1c format, with each probe's target made explicit. */
    public void writeProbes(Path file) throws IOException {
        ArrayNode array = JSON.createArrayNode();
        for (Scenario.ProbeSpec p : scenario.probes) {
            ObjectNode o = array.addObject();
            o.put("id", p.id);
            o.put("from", p.from);
            if (p.src != null) o.put("src", p.src);
            o.put("to", p.to);
            o.put("proto", p.proto);
            if (p.dport != null) o.put("dport", p.dport);
            o.put("target", targetOf(p));
            if (p.expect != null) o.put("expect", p.expect);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n");
    }

    /** The probe's target, or else the host that owns its destination address. */
    public String targetOf(Scenario.ProbeSpec probe) {
        if (probe.target != null) return probe.target;
        InetAddress to = literal(probe.to);
        for (var host : addressesByHost().entrySet())
            if (host.getValue().contains(to)) return host.getKey();
        throw new IllegalArgumentException("probe " + probe.id + ": no host owns " + probe.to + "; give a target");
    }

    /** An address literal as an InetAddress, so "2001:db8::20" and "2001:db8:0::20" are the same address. */
    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // a literal: no name lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
    }


    /** Each host's IPv4 and global IPv6 addresses (loopback and link-local ones belong to no probe target). */
    private Map<String, List<InetAddress>> addressesByHost() {
        if (addressesByHost != null) return addressesByHost;
        Map<String, List<InetAddress>> result = new LinkedHashMap<>();
        for (String host : scenario.hosts.keySet()) {
            List<InetAddress> addresses = new ArrayList<>();
            try {
                for (JsonNode link : JSON.readTree(must("ip", "-n", namespaceOf(host), "-j", "addr", "show")))
                    for (JsonNode a : link.path("addr_info")) {
                        String family = a.path("family").asText();
                        if (!family.equals("inet") && !family.equals("inet6")) continue;
                        InetAddress address = literal(a.path("local").asText());
                        if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) addresses.add(address);
                    }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            result.put(host, addresses);
        }
        return addressesByHost = result;
    }

    /** Whether WireGuard interfaces run in this lab. */
    boolean runsWireGuard() { return tunnels.runsWireGuard(); }

    /** The process holding a WireGuard host's private mount namespace (where wireguard-go's sockets are), or null. */
    Long mountHolder(String host) { return tunnels.mountHolder(host); }

    /** The public key the lab gave a host's WireGuard interface, or null. */
    String wireGuardPublicKey(String host, String ifname) { return tunnels.publicKey(host, ifname); }

    /**
     * Runs one shell command inside a host's namespace after the build, as an admin would type it there (e.g. the
     * commands of a proposed fix). Returns null on success, else the exit code and error output.
     */
    public String runOnHost(String host, String shellCommand) {
        // a host with wireguard-go: its mount namespace too, so `wg set` finds the daemon's control socket
        Long holder = tunnels.mountHolder(host);
        Result r = run(holder != null
                ? List.of("nsenter", "-t", String.valueOf(holder), "-m", "-n", "sh", "-c", shellCommand)
                : List.of("ip", "netns", "exec", namespaceOf(host), "sh", "-c", shellCommand), null);
        return r.exit == 0 ? null : "exit " + r.exit + ": " + r.stderr.strip();
    }

    /**
     * Runs a command that only reads (e.g. {@code nft -j list ruleset}) inside a host's namespace and returns what
     * it printed. @throws IllegalStateException when it fails
     */
    public String outputOf(String host, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespaceOf(host)));
        full.addAll(List.of(command));
        return must(full.toArray(new String[0]));
    }

    /**
     * Runs one command of a fix for an OpenVPN instance of a host in the instance's working directory (the lab's copy,
     * under the run's temp directory; {@code config} names the instance, e.g. client.conf), as an admin would run it
     * in /etc/openvpn/client. Refused when the file it writes ({@code writes}, relative) lies outside that directory.
     * With {@code restarts}, the instance's pid file must hold the pid of the daemon this lab started, and the call
     * waits (bounded) until the daemon has connected again. Returns null on success, else why not.
     */
    public String runInOpenVpnDir(String host, String config, String shellCommand, String writes, boolean restarts) {
        try {
            return tunnels.runInInstanceDir(host, config, shellCommand, writes, restarts);
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    // ---------------------------------------------------------------- probes

    public List<ProbeResult> runProbes() {
        List<ProbeResult> results = new ArrayList<>();
        for (Scenario.ProbeSpec p : scenario.probes) results.add(runProbe(p));
        return results;
    }

    /** Runs one probe for real while tcpdump on the target watches for the request. */
    public ProbeResult runProbe(Scenario.ProbeSpec p) {
        String target = targetOf(p);
        log("probe " + p.id + ": " + p.from + " -> " + p.to + " " + p.proto + (p.dport != null ? "/" + p.dport : "") + " target " + target);
        Capture capture = startCapture(namespaceOf(target), captureFilter(p));
        boolean v6 = roundtrip.model.Ip.familyOf(p.to) == roundtrip.model.Ip.Family.IPV6;
        // What came back that is not an answer: tells a RST from an ICMP error (the socket API cannot).
        Capture errors;
        try {
            errors = startCapture(namespaceOf(p.from), v6 ? ERROR_FILTER_6 : ERROR_FILTER);
        } catch (RuntimeException e) {
            capture.stop();
            throw e;
        }
        boolean answered;
        Boolean data = null;
        String detail;
        try {
            String ns = namespaceOf(p.from);
            String src = withZone(ns, p.src);
            if (p.proto.equals("icmp")) {
                List<String> ping = new ArrayList<>(List.of("ip", "netns", "exec", ns));
                ping.addAll(pingCommand(v6));
                ping.addAll(List.of("-c1", "-W2"));
                if (src != null) ping.addAll(List.of("-I", src));
                ping.add(p.to);
                Result r = run(ping, null);
                answered = r.exit == 0;
                detail = "{\"pingExit\":" + r.exit + "}";
            } else {
                List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
                command.addAll(javaCommand(ProbeClient.class, !v6));
                command.addAll(List.of(p.proto, p.to, String.valueOf(p.dport), src == null ? "-" : src, p.wantsData() ? "data" : "nodata"));
                Result r = run(command, null);
                String line = r.stdout.strip();
                JsonNode json;
                try {
                    json = JSON.readTree(line.isEmpty() ? "{}" : line);
                } catch (IOException e) {
                    throw new IllegalStateException("probe " + p.id + ": unreadable prober output: " + line + " " + r.stderr);
                }
                detail = json.toString();
                if (p.proto.equals("tcp")) {
                    answered = json.path("handshake").asBoolean(false);
                    if (answered && json.path("data").isBoolean()) data = json.path("data").asBoolean();
                } else {
                    answered = json.path("answered").asBoolean(false);
                }
            }
        } finally {
            capture.stop();
            errors.stop();
        }
        boolean delivered = capture.packets() > 0;
        String verdict = answered ? ProbeResult.OK : delivered ? ProbeResult.REPLY_LOST : ProbeResult.REQUEST_LOST;
        String errorReceived = errors.lines.isEmpty() ? null : withoutTimestamp(errors.lines.get(0));
        ProbeResult result = new ProbeResult(p.id, delivered, verdict, data, errorReceived, detail);
        log("result " + result.toJson());
        return result;
    }

    private static List<String> pingCommand(boolean v6) {
        boolean iputils = new java.io.File("/usr/bin/ping").canExecute() || new java.io.File("/bin/ping").canExecute();
        List<String> ping = new ArrayList<>(iputils ? List.of("ping", "-n") : List.of("busybox", "ping"));
        if (v6) ping.add("-6");
        return ping;
    }

    static final String ERROR_FILTER =
            "(icmp and icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply) or (tcp and tcp[tcpflags] & tcp-rst != 0)";

    /**
     * ERROR_FILTER for IPv6: the ICMPv6 errors (types below 128) and redirects, and RSTs. libpcap's tcp[] does not
     * reach into IPv6, so the TCP flags are read at their offset behind a fixed header (the lab sends no extension headers).
     */
    static final String ERROR_FILTER_6 =
            "(icmp6 and (icmp6[icmp6type] < 128 or icmp6[icmp6type] == icmp6-redirect)) or (ip6 and ip6[6] == 6 and ip6[53] & 4 != 0)";

    private static String withoutTimestamp(String tcpdumpLine) {
        return tcpdumpLine.replaceFirst("^\\d\\d:\\d\\d:\\d\\d\\.\\d+\\s+", "");
    }

    /** What the request looks like when it reaches the target (the target sees its own address after any DNAT). */
    static String captureFilter(Scenario.ProbeSpec p) {
        if (roundtrip.model.Ip.familyOf(p.to) == roundtrip.model.Ip.Family.IPV6) return switch (p.proto) {
            case "icmp" -> "icmp6 and icmp6[icmp6type] == icmp6-echo";
            // the SYN flag without ACK, read behind the fixed IPv6 header as in ERROR_FILTER_6
            case "tcp" -> "ip6 and tcp and ip6[53] & 0x12 == 0x02 and dst port " + p.portAtTarget();
            default -> "ip6 and udp and dst port " + p.portAtTarget();
        };
        return switch (p.proto) {
            case "icmp" -> "icmp and icmp[icmptype] == icmp-echo";
            case "tcp" -> "tcp and tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0 and dst port " + p.portAtTarget();
            default -> "udp and dst port " + p.portAtTarget();
        };
    }

    private final class Capture {
        private final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private Thread stdoutReader;

        Capture(Process process) { this.process = process; }

        void stop() {
            try {
                Thread.sleep(100); // a last packet may still be on its way into the capture
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) process.destroyForcibly();
                stdoutReader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            processes.remove(process);
        }

        int packets() { return lines.size(); }
    }

    private Capture startCapture(String ns, String filter) {
        List<String> command = List.of("ip", "netns", "exec", ns, "timeout", "30", "tcpdump", "-i", "any", "-n", "-l",
                "--immediate-mode", "-Q", "in", filter);
        log("capture " + String.join(" ", command));
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        processes.add(process);
        Capture capture = new Capture(process);
        CountDownLatch listening = new CountDownLatch(1);
        Thread stderr = new Thread(() -> forEachLine(process.getErrorStream(), line -> {
            log("tcpdump[" + ns + "]: " + line);
            if (line.contains("listening on")) listening.countDown();
        }));
        stderr.setDaemon(true);
        stderr.start();
        capture.stdoutReader = new Thread(() -> forEachLine(process.getInputStream(), line -> {
            log("tcpdump[" + ns + "]> " + line);
            if (!line.isBlank()) capture.lines.add(line); // tcpdump may print an empty line when stopped
        }));
        capture.stdoutReader.setDaemon(true);
        capture.stdoutReader.start();
        try {
            if (!listening.await(10, TimeUnit.SECONDS)) {
                capture.stop();
                throw new IllegalStateException("tcpdump did not start in " + ns + " (see " + logFile + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return capture;
    }

    private interface LineSink { void accept(String line); }

    private static void forEachLine(InputStream in, LineSink sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) sink.accept(line);
        } catch (IOException ignored) {
            // the process ended
        }
    }

    // ---------------------------------------------------------------- commands

    record Result(int exit, String stdout, String stderr) {}

    /**
     * A link-local source with the device that holds it ("fe80::2%eth0"): a socket cannot bind to a link-local address
     * without its zone (EINVAL), and ping binds to the zone's device too. Other sources as they are.
     */
    private String withZone(String ns, String src) {
        if (src == null || src.contains("%") || !src.toLowerCase(java.util.Locale.ROOT).startsWith("fe80:")) return src;
        // `ip -o -6 addr show to ADDR/128` prints "IDX: DEV    inet6 ADDR/LEN scope link ..."
        Result r = run(List.of("ip", "netns", "exec", ns, "ip", "-o", "-6", "addr", "show", "to", src + "/128"), null);
        String[] f = Text.words(r.stdout.strip());
        if (r.exit != 0 || f.length < 2) throw new IllegalStateException("no device of " + ns + " holds the link-local source " + src);
        String dev = f[1].endsWith(":") ? f[1].substring(0, f[1].length() - 1) : f[1];
        int at = dev.indexOf('@');
        return src + "%" + (at > 0 ? dev.substring(0, at) : dev);
    }

    /**
     * Runs a bounded command; stdin may be null. Logs the command and any error output. Output goes through
     * files, not pipes, so a background process left by a setup line cannot keep us waiting for EOF.
     */
    Result run(List<String> command, String stdin) {
        List<String> bounded = new ArrayList<>(List.of("timeout", "-k", "2", String.valueOf(COMMAND_TIMEOUT_S)));
        bounded.addAll(command);
        Path out = null, err = null;
        try {
            out = Files.createTempFile(prefix + "-out", ".txt");
            err = Files.createTempFile(prefix + "-err", ".txt");
            Process process = new ProcessBuilder(bounded)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (stdin != null) process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT_S + 5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
            int exit = process.exitValue();
            String stdout = Files.readString(out);
            String stderr = Files.readString(err);
            log("$ " + String.join(" ", command) + (exit != 0 ? "  [exit " + exit + "]" : "")
                    + (stderr.isBlank() ? "" : "\n  " + stderr.strip().replace("\n", "\n  ")));
            return new Result(exit, stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }

    String must(String... command) {
        Result r = run(List.of(command), null);
        if (r.exit != 0)
            throw new IllegalStateException("command failed (exit " + r.exit + "): " + String.join(" ", command) + ": " + r.stderr.strip());
        return r.stdout;
    }

    void log(String message) {
        synchronized (log) {
            log.println(LocalTime.now() + " " + message);
        }
    }

    // ---------------------------------------------------------------- cleanup

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void cleanUp() {
        if (closed) return;
        closed = true;
        // a lab given up on (its thread interrupted) must still delete what it made: the commands below wait for their
        // processes, which an interrupted thread cannot; the interrupt is given back at the end
        boolean interrupted = Thread.interrupted();
        try {
            deleteEverything();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void deleteEverything() {
        for (Process p : List.copyOf(processes)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        List<String> namespaces = new ArrayList<>(createdNamespaces);
        Collections.reverse(namespaces);
        for (String ns : namespaces) {
            // Anything still running inside one of our namespaces was started by this lab.
            Result pids = run(List.of("ip", "netns", "pids", ns), null);
            for (String pid : Text.words(pids.stdout))
                if (Text.isAsciiDigits(pid)) run(List.of("kill", "-9", pid), null);
            run(List.of("ip", "netns", "del", ns), null);
        }
        tunnels.cleanUp();
        log("cleaned up " + namespaces);
        log.close();
    }
}
