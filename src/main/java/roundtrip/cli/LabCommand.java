package roundtrip.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import roundtrip.lab.Lab;
import roundtrip.lab.LabVerify;
import roundtrip.lab.ProbeResult;
import roundtrip.model.InputException;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.importer.ProbeReader;
import java.util.List;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `roundtrip lab verify`: prove a proposed fix on a real kernel, in network namespaces. */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "Build a scenario in Linux network namespaces (root).")
final class LabCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** lab with its subcommand verify, which takes the network options (NetworkOptions.addedTo). */
    static CommandLine withSubcommands() {
        return new CommandLine(new LabCommand()).addSubcommand("verify", NetworkOptions.addedTo(new CommandLine(new Verify())));
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Build the network in namespaces, probe for real, apply fix N exactly as `why` prints it, probe again; "
                    + "namespaces get a unique rt... prefix, nothing touches the root namespace, everything is deleted by name.")
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--probes", paramLabel = "FILE", description = "the probes (design §1c); a network file's own probes are used without it") Path probes;
        @Option(names = "--scenario", paramLabel = "FILE", description = "instead of --snapshot/--network: a scenario YAML (see src/test/resources/scenarios/README.md)") Path scenario;
        @Option(names = "--probe", required = true, paramLabel = "ID", description = "the probe whose fix is proven") String probe;
        @Option(names = "--fix", defaultValue = "1", paramLabel = "N", description = "which of the ranked fixes (default 1)") int fix;
        @Option(names = "--lang", defaultValue = "en", paramLabel = "en|zh", description = "language of the report") String lang;

        @Override public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            NetworkOptions input = NetworkOptions.of(spec);
            Format.checkLang(lang);
            boolean zh = lang.equals("zh");
            if (fix < 1) throw new InputException("--fix", 0, "fix numbers start at 1");
            if (scenario != null) {
                if (input.network != null || input.snapshot != null) throw new InputException("--scenario", 0, "give either --scenario or --snapshot/--network, not both");
                if (!Files.isRegularFile(scenario)) throw new InputException(scenario.toString(), 0, "no such scenario file");
                requireLab();
                out.println("building " + scenario + " in network namespaces...");
                out.flush();
                try {
                    return print(out, LabVerify.verify(scenario, probe, fix, Files.createTempDirectory("roundtrip-lab")), probe, zh);
                } catch (IllegalArgumentException e) {
                    throw new InputException(scenario.toString(), 0, e.getMessage());
                }
            }
            Inputs.Loaded loaded = input.load(false);
            Network net = loaded.network();
            List<ProbeReader.LocatedProbe> located = probes != null ? ProbeReader.readLocated(probes) : loaded.probes();
            if (located.isEmpty()) throw new InputException("(command line)", 0, "give --probes FILE (or a network file with probes)");
            ProbeReader.validate(located, net);
            List<Probe> all = located.stream().map(ProbeReader.LocatedProbe::probe).toList();
            if (all.stream().noneMatch(p -> p.id().equals(probe)))
                throw new InputException(probes != null ? probes.toString() : String.valueOf(input.network), 0, "no probe with id " + probe);
            requireLab();
            LabVerify.Report r;
            try {
                r = LabVerify.verify(net, all, probe, fix, Files.createTempDirectory("roundtrip-lab"), line -> { out.println(zh ? roundtrip.report.Zh.text(line) : line.english()); out.flush(); });
            } catch (IllegalArgumentException e) {
                throw new InputException("lab", 0, e.getMessage());
            }
            return print(out, r, probe, zh);
        }

        private static void requireLab() {
            roundtrip.model.Message reason = Lab.unavailableReason();
            if (reason != null) throw new InputException("lab", 0, "cannot build namespaces here: " + reason.english());
        }
    }

    /** A real result as printed: the verdict, and for TCP whether the data after the handshake got through. */
    private static String shown(ProbeResult r, boolean zh) {
        return r.verdict() + (Boolean.FALSE.equals(r.dataDelivered()) ? zh ? "（数据丢失）" : " (data lost)" : "");
    }

    /** Before and after, as the real kernel answered; exit 0 when the probe passes after the fix and nothing broke. */
    static int print(PrintWriter out, LabVerify.Report r, String probe, boolean zh) {
        out.println(zh ? "修复 " + r.fix().rank() + "（" + r.fix().fix().id() + "），按原样执行："
                : "fix " + r.fix().rank() + " (" + r.fix().fix().id() + "), applied verbatim:");
        r.applied().forEach(a -> out.println("  " + (zh ? roundtrip.report.Zh.text(a) : a.english())));
        if (r.failed() != null) {
            out.println((zh ? "真实主机拒绝执行：" : "REFUSED by the real host: ") + (zh ? roundtrip.report.Zh.text(r.failed()) : r.failed().english()));
            out.flush();
            return 1;
        }
        boolean regression = false;
        out.println(zh ? "真实内核上，修复前 -> 修复后：" : "real kernel, before -> after the fix:");
        for (ProbeResult after : r.realResults()) {
            ProbeResult before = r.realBefore().stream().filter(b -> b.id().equals(after.id())).findFirst().orElse(null);
            boolean predicted = r.predicted().getOrDefault(after.id(), LabVerify.passed(after));
            boolean passed = r.real().getOrDefault(after.id(), false);
            if (before != null && LabVerify.passed(before) && !passed) regression = true;
            String mark = !after.id().equals(probe) ? "" : zh ? "  <- 本探测" : "  <- the probe";
            String disagreement = predicted == passed ? "" : zh ? "  （模拟预测为" + (predicted ? "通过" : "不通") + "）"
                    : "  (simulation predicted " + (predicted ? "pass" : "fail") + ")";
            out.printf("  %-28s %-24s -> %-24s%s%s%n", after.id(), before == null ? "?" : shown(before, zh), shown(after, zh), mark, disagreement);
        }
        out.flush();
        List<String> differ = r.disagreementsBefore();
        if (!differ.isEmpty())
            out.println(zh ? "警告：修复之前，真实内核与模拟在这些探测上的结果就不一致：" + String.join(", ", differ)
                    + "。要么实验环境与你描述的网络不同，要么模型有误；这次验证的说服力因此打折扣"
                    : "warning: before the fix, the real kernel and the simulation disagree on " + String.join(", ", differ)
                    + ": the lab is not the network you described, or the model is wrong; the proof is weaker for it");
        out.flush();
        boolean fixed = r.real().getOrDefault(probe, false);
        return fixed && !regression && differ.isEmpty() ? 0 : 1;
    }
}
