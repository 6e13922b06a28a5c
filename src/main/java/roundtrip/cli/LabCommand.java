package roundtrip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import roundtrip.lab.Lab;
import roundtrip.lab.LabVerify;
import roundtrip.lab.ProbeResult;
import roundtrip.model.InputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `roundtrip lab verify`: prove a proposed fix on a real kernel, in network namespaces. */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "Build a scenario in Linux network namespaces (root).",
        subcommands = {LabCommand.Verify.class})
final class LabCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Build the scenario in namespaces, probe for real, apply fix N exactly as `why` prints it, probe again; "
                    + "namespaces get a unique rt... prefix, nothing touches the root namespace, everything is deleted by name.")
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--scenario", required = true, paramLabel = "FILE", description = "scenario YAML (see src/test/resources/scenarios/README.md)") Path scenario;
        @Option(names = "--probe", required = true, paramLabel = "ID") String probe;
        @Option(names = "--fix", defaultValue = "1", paramLabel = "N", description = "which of the ranked fixes (default 1)") int fix;

        @Override public Integer call() throws IOException {
            if (!Files.isRegularFile(scenario)) throw new InputException(scenario.toString(), 0, "no such scenario file");
            String reason = Lab.unavailableReason();
            if (reason != null) throw new InputException("lab", 0, "cannot build namespaces here: " + reason);
            PrintWriter out = spec.commandLine().getOut();
            out.println("building " + scenario + " in network namespaces...");
            out.flush();
            Path work = Files.createTempDirectory("roundtrip-lab");
            LabVerify.Report r;
            try {
                r = LabVerify.verify(scenario, probe, fix, work);
            } catch (IllegalArgumentException e) {
                throw new InputException(scenario.toString(), 0, e.getMessage());
            }
            return print(out, r, probe, false);
        }
    }

    /** Before and after, as the real kernel answered; exit 0 when the probe passes after the fix and nothing broke. */
    static int print(PrintWriter out, LabVerify.Report r, String probe, boolean zh) {
        out.println(zh ? "修复 " + r.fix().rank() + "（" + r.fix().fix().id() + "），按原样执行："
                : "fix " + r.fix().rank() + " (" + r.fix().fix().id() + "), applied verbatim:");
        r.applied().forEach(a -> out.println("  " + a));
        if (r.failed() != null) {
            out.println((zh ? "真实主机拒绝执行：" : "REFUSED by the real host: ") + r.failed());
            out.flush();
            return 1;
        }
        boolean regression = false;
        out.println(zh ? "真实内核上，修复前 -> 修复后：" : "real kernel, before -> after the fix:");
        for (ProbeResult after : r.realResults()) {
            String before = r.realBefore().stream().filter(b -> b.id().equals(after.id())).map(ProbeResult::verdict).findFirst().orElse("?");
            boolean predicted = r.predicted().getOrDefault(after.id(), ProbeResult.OK.equals(after.verdict()));
            boolean passed = r.real().getOrDefault(after.id(), false);
            if (ProbeResult.OK.equals(before) && !passed) regression = true;
            String mark = !after.id().equals(probe) ? "" : zh ? "  <- 本探测" : "  <- the probe";
            String disagreement = predicted == passed ? "" : zh ? "  （模拟预测为" + (predicted ? "通过" : "不通") + "）"
                    : "  (simulation predicted " + (predicted ? "pass" : "fail") + ")";
            out.printf("  %-28s %-14s -> %-14s%s%s%n", after.id(), before, after.verdict(), mark, disagreement);
        }
        out.flush();
        boolean fixed = r.real().getOrDefault(probe, false);
        return fixed && !regression ? 0 : 1;
    }
}
