package roundtrip.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
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
final class TraceCommand implements Callable<Integer> {
    final CommandSpec spec = Main.command(this, "trace", "Follow one probe and its answer hop by hop, rule by rule.");

    TraceCommand() {
        NetworkOptions.addTo(spec);
        ProbeOptions.addTo(spec);
        spec.addOption(OptionSpec.builder("--format").defaultValue("text").paramLabel("json|text").type(String.class).build());
        spec.addOption(OptionSpec.builder("--lang").defaultValue("en").paramLabel("en|zh").type(String.class)
                .description("language of the text output (default: en)").build());
    }

    @Override public Integer call() {
        NetworkOptions input = NetworkOptions.of(spec);
        ProbeOptions probeOptions = ProbeOptions.of(spec);
        String format = spec.findOption("--format").getValue();
        String lang = spec.findOption("--lang").getValue();
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
