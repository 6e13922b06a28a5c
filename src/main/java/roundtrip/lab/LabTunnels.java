package roundtrip.lab;

import roundtrip.importer.OpenVpnSecrets;
import roundtrip.model.Text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real VPN daemons for a {@link Lab}: wireguard-go and OpenVPN inside the host namespaces.
 *
 * <p>WireGuard: wireguard-go keeps its control sockets in /run/wireguard, which all network namespaces share.
 * Each WireGuard host therefore gets a holder process ({@code sleep}) in a private mount namespace with a tmpfs
 * on /run; wireguard-go and every {@code wg} command enter that mount namespace and the host's network
 * namespace with {@code nsenter}. Nothing is mounted or created in the root mount namespace: when the lab kills
 * the holder and the daemons, the mount namespace and its tmpfs disappear with them.
 *
 * <p>OpenVPN: a throw-away EC CA and one certificate per host (common name = host name) in the run's temp
 * directory; each instance runs in the foreground under {@code timeout}, tracked like the lab's other
 * processes, with {@code --cd} its host directory (so {@code client-config-dir ccd} means the scenario's CCD
 * files). Servers start first; the lab waits (bounded) for "Initialization Sequence Completed" of every
 * instance, then for the servers' status files to list the connected clients.
 */
final class LabTunnels {
    private static final int DAEMON_LIFETIME_S = 1800;
    private static final long START_TIMEOUT_MS = 15_000;
    private static final String WG_ENV = "WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1";

    private final Lab lab;
    private Path runDir;
    /** Host name to the pid of the process holding its private mount namespace. */
    private final Map<String, Long> holders = new LinkedHashMap<>();
    /** "host:ifname" to private and public key. */
    private final Map<String, String[]> keys = new LinkedHashMap<>();
    /** "host/instance" to the instance's directory and whether it is a server. */
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    /** Whether the lab runs WireGuard interfaces (wireguard-go), whose keys it made. */
    boolean runsWireGuard() { return !keys.isEmpty(); }

    /** The process the lab started for each OpenVPN instance (the daemon is its descendant). */
    private final Map<Instance, Process> daemons = new LinkedHashMap<>();

    private record Instance(String host, String name, Path dir, boolean server) {
        Path log() { return dir.resolve(name + ".log"); }
        Path status() { return dir.resolve(name + "-status.log"); }
    }

    LabTunnels(Lab lab) { this.lab = lab; }

    private Scenario scenario() { return lab.scenario(); }

    private Path runDir() throws IOException {
        if (runDir == null) runDir = Files.createTempDirectory(lab.prefix() + "-tunnels-");
        return runDir;
    }

    // ---------------------------------------------------------------- WireGuard

    /**
     * Creates every WireGuard interface (wireguard-go) with its key, port, fwmark and addresses, and brings it up,
     * so that setup lines can route through it; the peers come later ({@link #addWireGuardPeers}).
     */
    void startWireGuard() throws IOException {
        for (var host : scenario().hosts.entrySet())
            for (String ifname : host.getValue().wireguard.keySet()) {
                String priv = lab.must("wg", "genkey").strip();
                String pub = lab.run(List.of("wg", "pubkey"), priv + "\n").stdout().strip();
                if (pub.isEmpty()) throw new IllegalStateException("wg pubkey failed");
                keys.put(host.getKey() + ":" + ifname, new String[] {priv, pub});
            }
        for (var host : scenario().hosts.entrySet()) {
            if (host.getValue().wireguard.isEmpty()) continue;
            String name = host.getKey();
            long holder = startHolder(name);
            for (var wg : host.getValue().wireguard.entrySet()) {
                String ifname = wg.getKey();
                Scenario.WireGuardSpec spec = wg.getValue();
                Path daemonLog = runDir().resolve(name + "-" + ifname + "-wireguard-go.log");
                List<String> command = List.of("timeout", String.valueOf(DAEMON_LIFETIME_S), "nsenter", "-t", String.valueOf(holder),
                        "-m", "-n", "env", WG_ENV, "LOG_LEVEL=verbose", "wireguard-go", "-f", ifname);
                Process daemon = startWireGuardGo(command, daemonLog, name, ifname);
                // seen with many labs starting at once: "Failed to listen on uapi socket: no such file or directory";
                // the same start a moment later works, so it is tried once more before the lab gives up
                if (!daemon.isAlive() && Files.readString(daemonLog).contains("uapi socket")) {
                    lab.log(name + ": wireguard-go " + ifname + " could not open its control socket; starting it again");
                    sleep(500);
                    daemon = startWireGuardGo(command, daemonLog, name, ifname);
                }
                if (!daemon.isAlive())
                    throw new IllegalStateException(name + ": wireguard-go " + ifname + " exited: " + Files.readString(daemonLog));

                Path keyFile = runDir().resolve(name + "-" + ifname + ".key");
                Files.writeString(keyFile, keys.get(name + ":" + ifname)[0] + "\n");
                List<String> set = new ArrayList<>(List.of("set", ifname, "private-key", keyFile.toString()));
                if (spec.listenPort != null) set.addAll(List.of("listen-port", String.valueOf(spec.listenPort)));
                if (spec.fwmarkText() != null) set.addAll(List.of("fwmark", spec.fwmarkText()));
                mustWg(name, set.toArray(String[]::new));
                String ns = lab.namespaceOf(name);
                for (String address : spec.addresses()) {
                    // an IPv6 address without nodad would be tentative while probes run (duplicate address detection)
                    if (address.contains(":")) lab.must("ip", "-n", ns, "-6", "addr", "add", address, "dev", ifname, "nodad");
                    else lab.must("ip", "-n", ns, "addr", "add", address, "dev", ifname);
                }
                if (spec.mtu != null) lab.must("ip", "-n", ns, "link", "set", ifname, "mtu", String.valueOf(spec.mtu));
                lab.must("ip", "-n", ns, "link", "set", ifname, "up");
            }
        }
    }

    /**
     * Adds the WireGuard peers, once the underlay exists: a handshake attempted earlier (a persistent keepalive
     * when the interface comes up) would fail and be retried only after REKEY_TIMEOUT (5 s). In two passes: every
     * host knows all its peers first, and only then do endpoints and keepalives let a host start a handshake (else
     * the first host's keepalive reaches a peer that does not know it yet, which drops it, and waits 5 s again).
     */
    void addWireGuardPeers() {
        for (boolean endpoints : new boolean[] {false, true})
            for (var host : scenario().hosts.entrySet())
                for (var wg : host.getValue().wireguard.entrySet()) {
                    if (wg.getValue().peers.isEmpty()) continue;
                    List<String> set = new ArrayList<>(List.of("set", wg.getKey()));
                    for (Scenario.WireGuardPeer peer : wg.getValue().peers) {
                        if (endpoints && peer.endpoint == null && peer.persistentKeepalive == null) continue;
                        set.addAll(List.of("peer", peer.publicKey != null ? peer.publicKey : keys.get(peer.peer)[1]));
                        if (!endpoints) set.addAll(List.of("allowed-ips", String.join(",", peer.allowedIps)));
                        if (endpoints && peer.endpoint != null) set.addAll(List.of("endpoint", peer.endpoint));
                        if (endpoints && peer.persistentKeepalive != null)
                            set.addAll(List.of("persistent-keepalive", String.valueOf(peer.persistentKeepalive)));
                    }
                    if (set.size() > 2) mustWg(host.getKey(), set.toArray(String[]::new));
                }
    }

    /**
     * Runs the real `wg-quick up` for every wg-quick file of the scenario, in the host's network namespace and its
     * private mount namespace (so wireguard-go's socket in /run/wireguard is the host's own). With no WireGuard kernel
     * module, wg-quick falls back to its userspace implementation; ours starts wireguard-go in the foreground under
     * timeout, in the background, logged, and returns once its control socket exists (what wireguard-go does when it
     * daemonizes), so the daemon is bounded and dies with the namespace.
     */
    void startWgQuick() throws IOException {
        Path wrapper = null;
        for (var host : scenario().hosts.entrySet()) {
            if (host.getValue().wgQuick.isEmpty()) continue;
            String name = host.getKey();
            Long holder = holders.get(name);
            if (holder == null) holder = startHolder(name);
            if (wrapper == null) {
                wrapper = runDir().resolve("wireguard-go-for-wg-quick");
                Files.writeString(wrapper, "#!/bin/sh\n"
                        + "timeout " + DAEMON_LIFETIME_S + " wireguard-go -f \"$1\" </dev/null >>\"$ROUNDTRIP_WG_LOG\" 2>&1 &\n"
                        + "i=0\nwhile [ ! -S \"/run/wireguard/$1.sock\" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i+1)); done\n"
                        + "[ -S \"/run/wireguard/$1.sock\" ]\n");
                wrapper.toFile().setExecutable(true, true);
            }
            Path dir = Files.createDirectories(runDir().resolve("wg-quick-" + name));
            for (var conf : host.getValue().wgQuick.entrySet()) {
                String ifname = conf.getKey();
                Path file = dir.resolve(ifname + ".conf");
                Files.writeString(file, conf.getValue());
                file.toFile().setReadable(false, false);
                file.toFile().setReadable(true, true);
                List<String> command = List.of("nsenter", "-t", String.valueOf(holder), "-m", "-n", "env", WG_ENV,
                        "WG_QUICK_USERSPACE_IMPLEMENTATION=" + wrapper, "ROUNDTRIP_WG_LOG=" + runDir().resolve(name + "-" + ifname + "-wireguard-go.log"),
                        "wg-quick", "up", file.toString());
                lab.log("run " + String.join(" ", command));
                Lab.Result r = lab.run(command, null);
                lab.log(name + ": wg-quick up " + ifname + ":\n" + r.stderr().strip());
                if (r.exit() != 0) throw new IllegalStateException(name + ": wg-quick up " + ifname + " failed: " + r.stderr().strip());
            }
        }
    }

    /**
     * After every `wg-quick up`: each wg-quick interface's configuration set again as it is (`wg showconf`, then `wg
     * setconf`), which drops its peers' pending handshakes. wireguard-go may start a handshake as soon as the interface
     * is up (the kernel's own IPv6 packets on it) and then rebind its socket to another port when wg-quick sets the
     * fwmark, so the answer goes to the old port and the handshake is retried only after REKEY_TIMEOUT (5 s); the
     * kernel's WireGuard keeps its port. The next packet starts a handshake from the socket that stays.
     */
    void refreshWgQuickPeers() {
        for (var host : scenario().hosts.entrySet())
            for (String ifname : host.getValue().wgQuick.keySet()) {
                Long holder = holders.get(host.getKey());
                if (holder == null) continue;
                String file = "/run/roundtrip-" + ifname + ".conf";   // the host's own tmpfs (its mount namespace)
                List<String> command = List.of("nsenter", "-t", String.valueOf(holder), "-m", "-n", "sh", "-c",
                        "umask 077 && wg showconf " + ifname + " > " + file + " && wg setconf " + ifname + " " + file + "; s=$?; rm -f " + file + "; exit $s");
                Lab.Result r = lab.run(command, null);
                if (r.exit() != 0) throw new IllegalStateException(host.getKey() + ": wg setconf " + ifname + " failed: " + r.stderr().strip());
            }
    }

    private Process startWireGuardGo(List<String> command, Path daemonLog, String host, String ifname) throws IOException {
        lab.log("start " + String.join(" ", command));
        Process daemon = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(daemonLog.toFile()).start();
        lab.processes.add(daemon);
        waitFor(() -> !daemon.isAlive() || wg(host, "show", ifname).exit() == 0, "wireguard-go " + host + ":" + ifname);
        return daemon;
    }

    /** A process in a new mount namespace with a tmpfs on /run, inside the host's network namespace. */
    private long startHolder(String host) throws IOException {
        List<String> command = List.of("timeout", String.valueOf(DAEMON_LIFETIME_S), "ip", "netns", "exec", lab.namespaceOf(host),
                "unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o mode=0755,size=1m roundtrip-wg /run && echo $$ && exec sleep " + DAEMON_LIFETIME_S);
        lab.log("start " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(lab.logFile().toFile())).start();
        lab.processes.add(process);
        byte[] buffer = new byte[32];
        StringBuilder line = new StringBuilder();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        var in = process.getInputStream();
        while (System.currentTimeMillis() < deadline && line.indexOf("\n") < 0) {
            if (in.available() > 0) {
                int n = in.read(buffer);
                if (n < 0) break;
                line.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            } else if (!process.isAlive()) {
                break;
            } else {
                sleep(20);
            }
        }
        String pid = line.toString().strip();
        if (!Text.isAsciiDigits(pid)) throw new IllegalStateException(host + ": mount namespace for wireguard-go did not start (see " + lab.logFile() + ")");
        holders.put(host, Long.parseLong(pid));
        return Long.parseLong(pid);
    }

    /** The process holding the host's private mount namespace (where wireguard-go's sockets are), or null. */
    Long mountHolder(String host) { return holders.get(host); }

    /** The public key the lab gave a WireGuard interface, or null. */
    String publicKey(String host, String ifname) {
        String[] k = keys.get(host + ":" + ifname);
        return k == null ? null : k[1];
    }

    /** Runs {@code wg ARGS} in the host's network and mount namespaces. */
    Lab.Result wg(String host, String... args) {
        Long holder = holders.get(host);
        if (holder == null) throw new IllegalArgumentException(host + " has no WireGuard interface");
        List<String> command = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(holder), "-m", "-n", "wg"));
        command.addAll(List.of(args));
        return lab.run(command, null);
    }

    private String mustWg(String host, String... args) {
        Lab.Result r = wg(host, args);
        if (r.exit() != 0) throw new IllegalStateException(host + ": wg " + String.join(" ", args) + " failed: " + r.stderr().strip());
        return r.stdout();
    }

    // ---------------------------------------------------------------- OpenVPN

    /** Certificates, configs and daemons: servers first, then clients; waits until every instance is up. */
    void startOpenVpn() throws IOException {
        List<Instance> servers = new ArrayList<>(), clients = new ArrayList<>();
        for (var host : scenario().hosts.entrySet()) {
            Scenario.OpenVpnSpec spec = host.getValue().openvpn;
            if (spec == null || spec.instances.isEmpty()) continue;
            Path pki = pki();
            String name = host.getKey();
            Path dir = Files.createDirectories(runDir().resolve("openvpn-" + name));
            issueCertificate(pki, name, spec.commonName != null ? spec.commonName : name, dir);
            Path ccd = Files.createDirectories(dir.resolve("ccd"));
            for (var file : spec.ccd.entrySet()) Files.writeString(ccd.resolve(file.getKey()), file.getValue() + "\n");
            for (var inst : spec.instances.entrySet()) {
                boolean server = isServer(inst.getValue());
                Instance instance = new Instance(name, inst.getKey(), dir, server);
                Files.writeString(dir.resolve(inst.getKey() + ".conf"), runnableConfig(instance, inst.getValue()));
                instances.put(name + "/" + inst.getKey(), instance);
                (server ? servers : clients).add(instance);
            }
        }
        if (instances.isEmpty()) return;
        for (Instance s : servers) start(s);
        for (Instance s : servers) waitUp(s);
        for (Instance c : clients) start(c);
        for (Instance c : clients) waitUp(c);
        // The status file is rewritten every second: wait for one written after the last client came up.
        long clientsUp = System.currentTimeMillis();
        for (Instance s : servers)
            if (!clients.isEmpty())
                waitFor(() -> Files.exists(s.status()) && s.status().toFile().lastModified() > clientsUp + 50,
                        "OpenVPN status file of " + s.host() + "/" + s.name());
        for (Instance c : clients)
            waitFor(() -> Files.exists(c.status()) && Files.size(c.status()) > 0, "OpenVPN status file of " + c.host() + "/" + c.name());
    }

    private static boolean isServer(String config) {
        for (String line : config.split("\n")) {
            String[] words = Text.words(line.strip());
            if (words[0].equals("server") || words[0].equals("server-bridge") || words[0].equals("tls-server")
                    || (words[0].equals("mode") && words.length > 1 && words[1].equals("server")))
                return true;
        }
        return false;
    }


    /** The scenario's config plus what the lab needs: key material, log, status, pid file, a verbosity that logs drops. */
    private static String runnableConfig(Instance instance, String config) {
        StringBuilder out = new StringBuilder();
        boolean hasVerb = false, hasDh = false;
        for (String line : config.split("\n")) {
            String d = OpenVpnSecrets.directive(line);
            if (d.equals("status") || d.equals("log") || d.equals("log-append") || d.equals("writepid") || d.equals("daemon")) continue;
            if (d.equals("verb")) hasVerb = true;
            if (d.equals("dh")) hasDh = true;
            out.append(line).append('\n');
        }
        out.append("# added by the roundtrip lab\n");
        out.append("ca ca.crt\ncert ").append(instance.host()).append(".crt\nkey ").append(instance.host()).append(".key\n");
        if (instance.server() && !hasDh) out.append("dh none\n");
        if (!hasVerb) out.append("verb 4\n"); // "MULTI: bad source address" is logged at verb 4 (D_MULTI_DROPPED)
        out.append("log ").append(instance.name()).append(".log\n");
        out.append("writepid ").append(instance.name()).append(".pid\n");
        // a client writes its statistics there (OpenVPN STATISTICS), which the collector copies like a server's list
        out.append("status ").append(instance.name()).append("-status.log 1\n");
        return out.toString();
    }

    private Path pki;

    /** A throw-away EC CA for this run. */
    private Path pki() throws IOException {
        if (pki != null) return pki;
        pki = Files.createDirectories(runDir().resolve("pki"));
        openssl("ecparam -name prime256v1 -genkey -noout -out ca.key"
                + " && openssl req -x509 -new -key ca.key -sha256 -days 2 -subj /CN=roundtrip-lab-ca -out ca.crt"
                + " && printf 'basicConstraints=CA:FALSE\\nkeyUsage=digitalSignature,keyAgreement\\n"
                + "extendedKeyUsage=serverAuth,clientAuth\\n' > ext.cnf");
        return pki;
    }

    /** HOST.key and HOST.crt (common name CN: the host's name unless the scenario says otherwise; usable as server and client) and ca.crt into dir. */
    private void issueCertificate(Path pki, String host, String commonName, Path dir) throws IOException {
        if (!commonName.matches("[A-Za-z0-9._@-]+"))
            throw new IllegalArgumentException(host + ": common name '" + commonName + "' cannot be put in a lab certificate");
        openssl("ecparam -name prime256v1 -genkey -noout -out " + host + ".key"
                + " && openssl req -new -key " + host + ".key -subj /CN=" + commonName + " -out " + host + ".csr"
                + " && openssl x509 -req -in " + host + ".csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -sha256"
                + " -extfile ext.cnf -out " + host + ".crt");
        Files.copy(pki.resolve("ca.crt"), dir.resolve("ca.crt"));
        Files.copy(pki.resolve(host + ".crt"), dir.resolve(host + ".crt"));
        Files.copy(pki.resolve(host + ".key"), dir.resolve(host + ".key"));
    }

    private void openssl(String commands) {
        Lab.Result r = lab.run(List.of("sh", "-c", "cd '" + pki + "' && openssl " + commands), null);
        if (r.exit() != 0) throw new IllegalStateException("openssl failed: " + r.stderr());
    }

    private static final String UP = "Initialization Sequence Completed";

    /** See {@link Lab#runInOpenVpnDir}. */
    String runInInstanceDir(String host, String config, String command, String writes, boolean restarts) throws IOException {
        Instance inst = null;
        for (Instance i : instances.values()) if (i.host().equals(host) && (i.name() + ".conf").equals(config)) inst = i;
        if (inst == null) return "no OpenVPN instance " + config + " on " + host + " in this lab";
        Path dir = inst.dir().toAbsolutePath().normalize();
        String refused = writeRefusal(dir, writes);
        if (refused != null) return refused;
        String log = "";
        if (restarts) {
            Long pid = daemonPid(inst);
            if (pid == null) return "the pid file of " + host + "/" + config + " does not hold the pid of the daemon this lab started: not run";
            log = Files.readString(inst.log(), StandardCharsets.ISO_8859_1);
        }
        String err = lab.runOnHost(host, "cd '" + dir + "' && " + command);
        if (err != null || !restarts) return err;
        final Instance restarted = inst;
        final int upBefore = count(log, UP);
        try {
            waitFor(() -> count(Files.readString(restarted.log(), StandardCharsets.ISO_8859_1), UP) > upBefore,
                    "OpenVPN " + host + "/" + inst.name() + " after the signal");
        } catch (IllegalStateException e) {
            return e.getMessage() + "; its log ends:\n" + tail(Files.readString(inst.log(), StandardCharsets.ISO_8859_1), 15);
        }
        lab.log("OpenVPN " + host + "/" + inst.name() + " is up again");
        // as at start: the servers' status files list the clients again
        long up = System.currentTimeMillis();
        try {
            for (Instance s : instances.values())
                if (s.server()) waitFor(() -> Files.exists(s.status()) && s.status().toFile().lastModified() > up + 50,
                        "OpenVPN status file of " + s.host() + "/" + s.name());
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        return null;
    }

    /**
     * Why a command that writes {@code writes} (relative to the instance directory {@code dir}) must not run: an
     * absolute path, one that leaves the directory ("..") or a symbolic link would write into the real file system
     * (the namespaces share it). Null when it is a file inside {@code dir}.
     */
    static String writeRefusal(Path dir, String writes) {
        if (writes == null) return null;
        Path target = dir.resolve(writes).normalize();
        for (Path p = target; p != null && p.startsWith(dir) && !p.equals(dir); p = p.getParent())
            if (Files.isSymbolicLink(p)) return "it writes " + writes + " through a symbolic link: not run";
        if (Path.of(writes).isAbsolute() || !target.startsWith(dir) || target.equals(dir))
            return "it writes " + writes + ", which is not a file in the OpenVPN instance's directory: not run";
        return null;
    }

    /** The pid in the instance's pid file, when it is the daemon the lab started for it (a descendant of its process). */
    private Long daemonPid(Instance inst) throws IOException {
        Path pidFile = inst.dir().resolve(inst.name() + ".pid");
        Process started = daemons.get(inst);
        if (started == null || !Files.exists(pidFile)) return null;
        String text = Files.readString(pidFile).strip();
        if (!text.matches("\\d{1,9}")) return null;
        long pid = Long.parseLong(text);
        return started.pid() == pid || started.descendants().anyMatch(p -> p.pid() == pid) ? pid : null;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    private void start(Instance instance) throws IOException {
        List<String> command = List.of("ip", "netns", "exec", lab.namespaceOf(instance.host()), "timeout",
                String.valueOf(DAEMON_LIFETIME_S), "openvpn", "--cd", instance.dir().toString(), "--config", instance.name() + ".conf");
        lab.log("start " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(instance.dir().resolve(instance.name() + ".stdout").toFile()).start();
        lab.processes.add(process);
        daemons.put(instance, process);
    }

    private void waitUp(Instance instance) throws IOException {
        try {
            waitFor(() -> Files.exists(instance.log())
                    && Files.readString(instance.log(), StandardCharsets.ISO_8859_1).contains("Initialization Sequence Completed"),
                    "OpenVPN " + instance.host() + "/" + instance.name());
        } catch (IllegalStateException e) {
            String tail = Files.exists(instance.log()) ? tail(Files.readString(instance.log(), StandardCharsets.ISO_8859_1), 15) : "(no log)";
            throw new IllegalStateException(e.getMessage() + "; its log ends:\n" + tail, e);
        }
        lab.log("OpenVPN " + instance.host() + "/" + instance.name() + " is up");
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }

    // ---------------------------------------------------------------- after the daemons

    void runPostSetup() {
        for (var host : scenario().hosts.entrySet()) {
            String ns = lab.namespaceOf(host.getKey());
            for (String line : host.getValue().postSetup.split("\n")) {
                if (line.isBlank() || line.trim().startsWith("#")) continue;
                lab.must("ip", "netns", "exec", ns, "sh", "-c", line);
            }
        }
    }

    /** {@code <host>/wg/IFACE.conf} (wg showconf) and {@code <host>/openvpn/} (configs, ccd/, status.log). */
    void writeSnapshot(Path dir) throws IOException {
        for (var host : scenario().hosts.entrySet()) {
            String name = host.getKey();
            if (!host.getValue().wireguard.isEmpty() || !host.getValue().wgQuick.isEmpty()) {
                Path wgDir = Files.createDirectories(dir.resolve(name).resolve("wg"));
                List<String> ifnames = new ArrayList<>(host.getValue().wireguard.keySet());
                ifnames.addAll(host.getValue().wgQuick.keySet());
                for (String ifname : ifnames)
                    Files.writeString(wgDir.resolve(ifname + ".conf"), mustWg(name, "showconf", ifname));
            }
        }
        boolean statusWritten = false;
        // as the collector does: a server's client list is the host's status.log, a client's statistics only without one
        List<Instance> serversFirst = new ArrayList<>(instances.values());
        serversFirst.sort(Comparator.comparing(i -> !i.server()));
        for (Instance instance : serversFirst) {
            Path ovpn = Files.createDirectories(dir.resolve(instance.host()).resolve("openvpn"));
            Files.writeString(ovpn.resolve(instance.name() + ".conf"),
                    OpenVpnSecrets.strip(Files.readString(instance.dir().resolve(instance.name() + ".conf"))));
            Path ccd = instance.dir().resolve("ccd");
            try (Stream<Path> files = Files.list(ccd)) {
                for (Path f : files.toList()) {
                    Path to = Files.createDirectories(ovpn.resolve("ccd")).resolve(f.getFileName());
                    if (!Files.exists(to)) Files.copy(f, to);
                }
            }
            if (instance.server() && Files.exists(instance.status())) {
                Path to = ovpn.resolve(Files.exists(ovpn.resolve("status.log")) ? "status-" + instance.name() + ".log" : "status.log");
                Files.copy(instance.status(), to);
                statusWritten = true;
            } else if (!instance.server() && Files.exists(instance.status()) && !Files.exists(ovpn.resolve("status.log"))) {
                Files.copy(instance.status(), ovpn.resolve("status.log"));
            }
        }
        if (!instances.isEmpty() && !statusWritten) lab.log("no OpenVPN status file to collect");
    }

    /** After the lab killed its processes: keeps the daemon logs next to the lab log, removes the run directory. */
    void cleanUp() {
        if (runDir == null) return;
        try (Stream<Path> walk = Files.walk(runDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                String file = p.getFileName().toString();
                if (Files.isRegularFile(p) && (file.endsWith(".log") || file.endsWith(".stdout"))) {
                    String owner = p.getParent().getFileName().toString();
                    Path keep = lab.logFile().resolveSibling(lab.logFile().getFileName().toString().replaceFirst("\\.log$", "")
                            + "-" + (owner.startsWith("openvpn-") ? owner + "-" : "") + file);
                    Files.copy(p, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                Files.delete(p);
            }
        } catch (IOException e) {
            lab.log("could not remove " + runDir + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- waiting

    private interface Condition { boolean holds() throws IOException; }

    private static void waitFor(Condition condition, String what) throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline)
                throw new IllegalStateException(what + " did not come up within " + START_TIMEOUT_MS / 1000 + " s");
            sleep(50);
        }
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
