package roundtrip.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * Builds a scenario for real, writes its snapshot (design §1a) and probes.json into an output directory,
 * prints the real probe results as a JSON array and removes everything again.
 * Usage: {@code LabMain SCENARIO.yaml OUTPUT_DIR}
 */
public final class LabMain {
    private LabMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LabMain SCENARIO.yaml OUTPUT_DIR");
            System.exit(2);
        }
        roundtrip.model.Message reason = Lab.unavailableReason();
        if (reason != null) {
            System.err.println("cannot build a lab: " + reason.english());
            System.exit(1);
        }
        Scenario scenario = Scenario.load(Path.of(args[0]));
        Path out = Path.of(args[1]);
        try (Lab lab = Lab.build(scenario, out.resolve("logs"))) {
            lab.writeSnapshot(out.resolve("snapshot"));
            lab.writeProbes(out.resolve("probes.json"));
            List<ProbeResult> results = lab.runProbes();
            System.out.println("[");
            for (int i = 0; i < results.size(); i++)
                System.out.println("  " + results.get(i).toJson() + (i + 1 < results.size() ? "," : ""));
            System.out.println("]");
            System.err.println("log: " + lab.logFile());
        }
    }
}
