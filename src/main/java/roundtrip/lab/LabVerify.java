package roundtrip.lab;

import roundtrip.fix.Change;
import roundtrip.fix.RankedFix;
import roundtrip.fix.Verification;
import roundtrip.fix.Why;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Network;
import roundtrip.model.Probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 5 part 4, "lab verify": builds a scenario in namespaces, asks `roundtrip why` (on the snapshot just
 * collected) for the top fix of one probe, runs the fix's printed commands verbatim in the hosts' namespaces (those
 * for an OpenVPN daemon in its working directory, where the lab keeps its config, CCD files and pid file; a uci
 * change, which the lab has no uci for, as its printed live equivalent), and probes again for real. The simulator's
 * prediction for the fixed network can then be compared with the kernel.
 * Usage: {@code LabVerify SCENARIO.yaml PROBE_ID OUTPUT_DIR}
 */
public final class LabVerify {
    /**
     * @param fix       the fix that was applied (rank 1)
     * @param applied   the commands run, as "host# command" (with what stands in for what, when a command is not the fix's own)
     * @param failed    a command the real host refused (with its error), or null
     * @param predicted per probe id of the scenario: whether the simulation of the fixed network said it passes
     * @param real      per probe id: whether it passed on the real kernel after the fix
     * @param realBefore the real results before the fix was applied
     * @param simulatedBefore per probe id: whether the simulation of the network as given says it passes (empty when
     *                        the lab was built from a scenario, whose claims the conformance suite checks)
     * @param notes      what the lab approximated when rebuilding the network
     */
    public record Report(RankedFix fix, List<roundtrip.model.Message> applied, roundtrip.model.Message failed, Map<String, Boolean> predicted,
                         Map<String, Boolean> real, List<ProbeResult> realResults, List<ProbeResult> realBefore,
                         Map<String, Boolean> simulatedBefore, List<roundtrip.model.Message> notes) {
        Report withSimulatedBefore(Map<String, Boolean> sim) {
            return new Report(fix, applied, failed, predicted, real, realResults, realBefore, Map.copyOf(sim), notes);
        }

        /** Probes whose real result before the fix differs from the simulation: the lab is not the network, or the model is wrong. */
        public List<String> disagreementsBefore() {
            List<String> out = new ArrayList<>();
            for (ProbeResult r : realBefore) {
                Boolean sim = simulatedBefore.get(r.id());
                if (sim != null && sim != passed(r)) out.add(r.id());
            }
            return out;
        }
    }

    private LabVerify() {}

    public static Report verify(Path scenarioFile, String probeId, Path workDir) throws IOException {
        return verify(scenarioFile, probeId, 1, workDir);
    }

    /** Applies fix number {@code rank} (1 = the top-ranked) as printed, in the scenario's namespaces, and probes again. */
    public static Report verify(Path scenarioFile, String probeId, int rank, Path workDir) throws IOException {
        Scenario scenario = Scenario.load(scenarioFile);
        try (Lab lab = Lab.build(scenario, workDir.resolve("logs"))) {
            Path snapshot = workDir.resolve("snapshot");
            lab.writeSnapshot(snapshot);
            lab.writeProbes(workDir.resolve("probes.json"));
            Network net = SnapshotLoader.load(snapshot);
            List<Probe> probes = ProbeReader.readLocated(workDir.resolve("probes.json")).stream().map(ProbeReader.LocatedProbe::probe).toList();
            RankedFix fix = fixToApply(new Why(net), probes, probeId, rank, scenarioFile.toString());
            return applyAndProbe(lab, fix, probeId, probes, List.of(), java.util.function.UnaryOperator.identity());
        }
    }

    /**
     * The same proof for a network the user gave (snapshots or a network file): `why` runs on that network, the
     * lab rebuilds it ({@link NetworkScenario}), and the real kernel's results before the fix are compared with the
     * simulation's, so that a lab that does not behave like the model is reported instead of proving nothing.
     *
     * @param progress told what is happening, one line at a time (building a lab takes seconds)
     */
    public static Report verify(Network net, List<Probe> probes, String probeId, int rank, Path workDir,
                                java.util.function.Consumer<roundtrip.model.Message> progress) throws IOException {
        Why why = new Why(net);
        RankedFix fix = fixToApply(why, probes, probeId, rank, "the probes");
        Map<String, Boolean> simulatedBefore = new LinkedHashMap<>();
        for (Probe p : probes) {
            roundtrip.sim.ProbeResult r = why.simulator().run(p, false);
            simulatedBefore.put(p.id(), r.verdict() == roundtrip.sim.ProbeResult.Verdict.ROUND_TRIP_OK && (r.data() == null || r.data().delivered()));
        }
        NetworkScenario.Result built = NetworkScenario.of(net, probes, why.simulator(), "lab verify " + probeId);
        built.notes().forEach(n -> progress.accept(roundtrip.model.Message.of(Sentences.PROGRESS_NOTE, n)));
        progress.accept(roundtrip.model.Message.of(Sentences.PROGRESS_BUILDING, built.scenario().hosts.size()));
        try (Lab lab = Lab.build(built.scenario(), workDir.resolve("logs"))) {
            progress.accept(roundtrip.model.Message.of(Sentences.PROGRESS_PROBING, rank, fix.fix().id()));
            Report r = applyAndProbe(lab, fix, probeId, probes, built.notes(), labKeys(net, lab));
            return r.withSimulatedBefore(simulatedBefore);
        }
    }

    private static RankedFix fixToApply(Why why, List<Probe> probes, String probeId, int rank, String where) {
        Probe probe = probes.stream().filter(p -> p.id().equals(probeId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no probe " + probeId + " in " + where));
        Why.Result result = why.explain(probe, probes);
        if (result.fixes().size() < rank) throw new IllegalArgumentException("no fix number " + rank + " for " + probeId
                + " (" + result.fixes().size() + " proposed)");
        return result.fixes().get(rank - 1);
    }

    /**
     * The lab makes its own WireGuard keys (a network file's private keys never leave the user's host): a fix command
     * naming an interface's public key as the network knows it gets the lab's key of that interface instead.
     */
    private static java.util.function.UnaryOperator<String> labKeys(Network net, Lab lab) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (roundtrip.model.Host h : net.hosts().values())
            for (roundtrip.model.TunnelConfig t : h.tunnels())
                if (t instanceof roundtrip.model.WireGuardConfig wg && wg.publicKey() != null) {
                    String labKey = lab.wireGuardPublicKey(h.name(), wg.device());
                    if (labKey != null) keys.put(wg.publicKey(), labKey);
                }
        return command -> {
            for (Map.Entry<String, String> k : keys.entrySet()) command = command.replace(k.getKey(), k.getValue());
            return command;
        };
    }

    private static Report applyAndProbe(Lab lab, RankedFix top, String probeId, List<Probe> probes, List<roundtrip.model.Message> notes,
                                        java.util.function.UnaryOperator<String> labKeys) {
        Map<String, Boolean> predicted = new LinkedHashMap<>();
        predicted.put(probeId, top.verification().fixesProbe());
        for (Verification.Check c : top.verification().checks())
            if (probes.stream().anyMatch(p -> p.id().equals(c.probe()))) predicted.put(c.probe(), c.after());

        List<ProbeResult> before = lab.runProbes();
        List<roundtrip.model.Message> applied = new ArrayList<>();
        roundtrip.model.Message failed = null;
        changes:
        for (Change c : top.fix().changes()) {
            // a command that is not verbatim (uci with a section to look up, and the lab has no uci) runs as its
            // live equivalent when it has one (the nft commands that change the running ruleset as fw4 reload would)
            // nor are ufw and firewall-cmd: their changes run as the iptables commands they amount to
            boolean verbatim = c.shell() && !(c instanceof roundtrip.fix.Change.ByTool);
            List<String> commands = verbatim ? List.of(c.command()) : c.equivalent();
            if (commands.isEmpty()) {
                applied.add(roundtrip.model.Message.text(c.host() + "# " + c.command()));
                failed = roundtrip.model.Message.of(Sentences.NOT_RUN_NEEDS_LOOKUP, c.host() + "# " + c.command());
                break;
            }
            // a change to an OpenVPN daemon's files or process runs in its working directory, the lab's copy of it
            boolean daemon = c.openVpnConfig() != null || c.writes() != null || c.restartsOpenVpn();
            for (String written : commands) {
                String command = labKeys.apply(written);
                String line = c.host() + "# " + command;
                boolean labKey = !command.equals(written);
                applied.add(verbatim ? labKey ? roundtrip.model.Message.of(Sentences.APPLIED_LAB_KEY, line) : roundtrip.model.Message.text(line)
                        : labKey ? roundtrip.model.Message.of(Sentences.APPLIED_LIVE_EQUIVALENT_LAB_KEY, line, c.command())
                        : roundtrip.model.Message.of(Sentences.APPLIED_LIVE_EQUIVALENT, line, c.command()));
                String err = daemon ? lab.runInOpenVpnDir(c.host(), c.openVpnConfig(), command, c.writes(), c.restartsOpenVpn())
                        : lab.runOnHost(c.host(), command);
                if (err != null) { failed = roundtrip.model.Message.of(Sentences.REFUSED, line, roundtrip.model.Message.text(err)); break changes; }
            }
        }
        // a peer whose handshakes were lost retries every REKEY_TIMEOUT (5 s, plus up to a third of a second of jitter,
        // wireguard-go's timers.go): a fix that lets them through takes effect at the next try, which the probes wait for
        if (failed == null && lab.runsWireGuard()) {
            try {
                Thread.sleep(5_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ProbeResult> after = failed == null ? lab.runProbes() : List.of();
        Map<String, Boolean> real = new LinkedHashMap<>();
        for (ProbeResult r : after) real.put(r.id(), passed(r));
        return new Report(top, applied, failed, predicted, real, after, before, Map.of(), notes);
    }

    /** A real probe passes when it was answered and, for TCP, its data got through too. */
    public static boolean passed(ProbeResult r) {
        return ProbeResult.OK.equals(r.verdict()) && (r.dataDelivered() == null || r.dataDelivered());
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LabVerify SCENARIO.yaml PROBE_ID OUTPUT_DIR");
            System.exit(2);
        }
        roundtrip.model.Message reason = Lab.unavailableReason();
        if (reason != null) {
            System.err.println("cannot build a lab: " + reason.english());
            System.exit(1);
        }
        Report r = verify(Path.of(args[0]), args[1], Path.of(args[2]));
        System.out.println("fix " + r.fix().fix().id() + ":");
        r.applied().forEach(a -> System.out.println("  " + a.english()));
        if (r.failed() != null) {
            System.out.println("REFUSED: " + r.failed().english());
            System.exit(1);
        }
        boolean agree = true;
        for (var e : r.real().entrySet()) {
            Boolean p = r.predicted().get(e.getKey());
            System.out.println("  " + e.getKey() + ": real " + (e.getValue() ? "pass" : "fail")
                    + (p == null ? "" : ", predicted " + (p ? "pass" : "fail")));
            if (p != null && p != e.getValue().booleanValue()) agree = false;
        }
        System.exit(Boolean.TRUE.equals(r.real().get(args[1])) && agree ? 0 : 1);
    }
}
