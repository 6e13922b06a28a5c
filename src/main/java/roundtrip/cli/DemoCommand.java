package roundtrip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import roundtrip.fix.RankedFix;
import roundtrip.fix.Why;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.lab.Lab;
import roundtrip.lab.LabVerify;
import roundtrip.model.InputException;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.report.TextReport;
import roundtrip.report.WhyReport;
import roundtrip.report.Zh;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `roundtrip demo`: the bundled story S2 end to end — the probes, why one fails, the fixes verified by simulation,
 * and, where namespaces can be built (root), the top fix's printed commands applied on a real kernel.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the bundled example end to end: broken, why, fix, verified (offline; the real-kernel step needs root).")
final class DemoCommand implements Callable<Integer> {
    static final String EXAMPLE = "examples/s2-missing-return-route";

    @Spec CommandSpec spec;
    @Option(names = "--lang", defaultValue = "en", paramLabel = "en|zh") String lang;

    @Override public Integer call() throws Exception {
        Path dir = exampleDir();
        PrintWriter out = spec.commandLine().getOut();
        boolean zh = lang.equals("zh");
        Network net = SnapshotLoader.load(dir.resolve("snapshot"));
        List<Probe> probes = ProbeReader.readLocated(dir.resolve("probes.json")).stream().map(ProbeReader.LocatedProbe::probe).toList();
        Simulator sim = new Simulator(net);

        out.println(zh ? "示例（故事 S2，快照采集自真实的网络命名空间）：VPN 客户端能访问 VPN 服务器的内网地址，却访问不了内网里的其他主机。"
                : "Example (story S2, snapshot collected from real network namespaces): a VPN client reaches the VPN server's LAN address, but no other LAN host.");
        out.println(zh ? "\n== 1. 所有探测（roundtrip check）" : "\n== 1. Every probe (roundtrip check)");
        Probe failing = null;
        for (Probe p : probes) {
            ProbeResult r = sim.run(p, false);
            out.println(TextReport.line(r, lang));
            if (failing == null && p.proto() == roundtrip.model.Packet.TCP && r.verdict() != ProbeResult.Verdict.ROUND_TRIP_OK) failing = p;
        }
        if (failing == null) throw new IllegalStateException("the bundled example has no failing tcp probe");

        out.println(zh ? "\n== 2. 为什么 " + failing.id() + " 不通（roundtrip why）" : "\n== 2. Why " + failing.id() + " fails (roundtrip why)");
        Why why = new Why(net);
        Why.Result result = why.explain(failing, probes);
        out.print(WhyReport.text(result, net, lang));
        if (result.fixes().isEmpty()) return 1;
        RankedFix top = result.fixes().get(0);
        out.println(zh ? "\n== 3. 修复 1 已在模型副本上重新模拟：" + (top.verification().fixesProbe() ? "探测通过" : "探测仍不通")
                : "\n== 3. Fix 1, simulated again on a copy of the model: the probe " + (top.verification().fixesProbe() ? "passes" : "still fails"));

        out.println(zh ? "\n== 4. 在真实内核上验证（网络命名空间）" : "\n== 4. Proof on a real kernel (network namespaces)");
        roundtrip.model.Message reason = Lab.unavailableReason();
        Path scenario = dir.resolve("scenario.yaml");
        if (reason != null) {
            out.println(zh ? "  跳过：" + Zh.text(reason) : "  skipped: " + reason.english());
            out.println((zh ? "  以 root 运行：" : "  as root, run: ") + "bin/roundtrip lab verify --scenario " + scenario + " --probe " + failing.id());
            out.flush();
            return 0;
        }
        out.flush();
        Path work = Files.createTempDirectory("roundtrip-demo");
        LabVerify.Report report = LabVerify.verify(scenario, failing.id(), 1, work);
        return LabCommand.print(out, report, failing.id(), zh);
    }

    /** The example next to the jar (target/roundtrip.jar or target/classes), else in the working directory. */
    private static Path exampleDir() throws Exception {
        Path code = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (Path p = code; p != null; p = p.getParent()) {
            Path candidate = p.resolve(EXAMPLE);
            if (Files.isDirectory(candidate)) return candidate;
        }
        Path here = Path.of(EXAMPLE);
        if (Files.isDirectory(here)) return here;
        throw new InputException(EXAMPLE, 0, "the bundled example is missing (run from the repository)");
    }
}
