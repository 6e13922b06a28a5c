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
 * for an OpenVPN daemon in its working directory, where the lab keeps its config, CCD files and pid file), and
 * probes again for real. The simulator's prediction for the fixed network can then be compared with the kernel.
 * Usage: {@code LabVerify SCENARIO.yaml PROBE_ID OUTPUT_DIR}
 */
public final class LabVerify {
    /**
     * @param fix       the fix that was applied (rank 1)
     * @param applied   the commands run, as "host# command"
     * @param failed    a command the real host refused, or null
     * @param predicted per probe id of the scenario: whether the simulation of the fixed network said it passes
     * @param real      per probe id: whether it passed on the real kernel after the fix
     * @param realBefore the real results before the fix was applied
     */
    public record Report(RankedFix fix, List<String> applied, String failed, Map<String, Boolean> predicted,
                         Map<String, Boolean> real, List<ProbeResult> realResults, List<ProbeResult> realBefore) {}

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
            Probe probe = probes.stream().filter(p -> p.id().equals(probeId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no probe " + probeId + " in " + scenarioFile));
            Why.Result why = new Why(net).explain(probe, probes);
            if (why.fixes().size() < rank) throw new IllegalArgumentException("no fix number " + rank + " for " + probeId
                    + " (" + why.fixes().size() + " proposed)");
            RankedFix top = why.fixes().get(rank - 1);

            Map<String, Boolean> predicted = new LinkedHashMap<>();
            predicted.put(probeId, top.verification().fixesProbe());
            for (Verification.Check c : top.verification().checks())
                if (probes.stream().anyMatch(p -> p.id().equals(c.probe()))) predicted.put(c.probe(), c.after());

            List<ProbeResult> before = lab.runProbes();
            List<String> applied = new ArrayList<>();
            String failed = null;
            for (Change c : top.fix().changes()) {
                applied.add(c.host() + "# " + c.command());
                if (!c.shell()) { failed = c.host() + "# " + c.command() + ": needs something looked up by hand, not run in the lab"; break; }
                // a change to an OpenVPN daemon's files or process runs in its working directory, the lab's copy of it
                boolean daemon = c.openVpnConfig() != null || c.writes() != null || c.restartsOpenVpn();
                String err = daemon ? lab.runInOpenVpnDir(c.host(), c.openVpnConfig(), c.command(), c.writes(), c.restartsOpenVpn())
                        : lab.runOnHost(c.host(), c.command());
                if (err != null) { failed = c.host() + "# " + c.command() + ": " + err; break; }
            }
            List<ProbeResult> after = failed == null ? lab.runProbes() : List.of();
            Map<String, Boolean> real = new LinkedHashMap<>();
            for (ProbeResult r : after)
                real.put(r.id(), ProbeResult.OK.equals(r.verdict()) && (r.dataDelivered() == null || r.dataDelivered()));
            return new Report(top, applied, failed, predicted, real, after, before);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LabVerify SCENARIO.yaml PROBE_ID OUTPUT_DIR");
            System.exit(2);
        }
        String reason = Lab.unavailableReason();
        if (reason != null) {
            System.err.println("cannot build a lab: " + reason);
            System.exit(1);
        }
        Report r = verify(Path.of(args[0]), args[1], Path.of(args[2]));
        System.out.println("fix " + r.fix().fix().id() + ":");
        r.applied().forEach(a -> System.out.println("  " + a));
        if (r.failed() != null) {
            System.out.println("REFUSED: " + r.failed());
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
