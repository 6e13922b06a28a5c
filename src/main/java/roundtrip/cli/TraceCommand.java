package roundtrip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import roundtrip.diagnose.Diagnoser;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.report.JsonReport;
import roundtrip.report.TextReport;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** `roundtrip trace`: one probe, hop by hop, for people. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Follow one probe and its answer hop by hop, rule by rule.")
final class TraceCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin NetworkOptions input;
    @Mixin ProbeOptions probeOptions;
    @Option(names = "--format", defaultValue = "text", paramLabel = "json|text") String format;
    @Option(names = "--lang", defaultValue = "en", paramLabel = "en|zh", description = "language of the text output (default: en)") String lang;

    @Override public Integer call() {
        Format.check(format);
        Format.checkLang(lang);
        Network net = input.load(false).network();
        Probe probe = probeOptions.probe("trace", net);
        Simulator sim = new Simulator(net);
        Inputs.warn(net, sim, spec.commandLine().getErr(), lang);
        ProbeResult r = sim.run(probe, true);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.equals("json") ? JsonReport.render(List.of(r)) + "\n"
                : TextReport.trace(r, Format.rootCause(new Diagnoser(net, sim), r), lang));
        out.flush();
        return 0;
    }
}
