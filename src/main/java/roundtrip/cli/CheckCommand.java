package roundtrip.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import roundtrip.diagnose.Diagnoser;
import roundtrip.importer.ProbeReader;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.report.JsonReport;
import roundtrip.report.TextReport;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `roundtrip check`: every probe of a probe file against a snapshot; exit 1 when an expectation fails. */
final class CheckCommand implements Callable<Integer> {
    final CommandSpec spec = Main.command(this, "check", "Simulate every probe of a probe file and report its verdict.");

    CheckCommand() {
        NetworkOptions.addTo(spec);
        spec.addOption(OptionSpec.builder("--probes").paramLabel("FILE").type(Path.class)
                .description("probe file (JSON array); default: the network file's probes").build());
        spec.addOption(OptionSpec.builder("--after-reboot").type(boolean.class)
                .description("simulate with the rules saved/ would restore at boot instead of the live ones").build());
        spec.addOption(OptionSpec.builder("--format").defaultValue("text").paramLabel("json|text").type(String.class)
                .description("output format (default: text)").build());
        spec.addOption(OptionSpec.builder("--lang").defaultValue("en").paramLabel("en|zh").type(String.class)
                .description("language of the text output (default: en)").build());
    }

    @Override public Integer call() {
        NetworkOptions input = NetworkOptions.of(spec);
        Path probes = spec.findOption("--probes").getValue();
        boolean afterReboot = Boolean.TRUE.equals(spec.findOption("--after-reboot").getValue());
        String format = spec.findOption("--format").getValue();
        String lang = spec.findOption("--lang").getValue();
        Format.check(format);
        Format.checkLang(lang);
        Inputs.Loaded loaded = input.load(afterReboot);
        Network net = loaded.network();
        List<ProbeReader.LocatedProbe> located;
        if (probes != null) located = ProbeReader.readLocated(probes);
        else if (input.network != null && !loaded.probes().isEmpty()) located = loaded.probes();
        else throw new roundtrip.model.InputException(input.network != null ? input.network.toString() : "(command line)", 0,
                input.network != null ? "the network file has no probes: give --probes FILE" : "--probes FILE is required");
        ProbeReader.validate(located, net);
        List<Probe> list = located.stream().map(ProbeReader.LocatedProbe::probe).toList();
        Simulator sim = new Simulator(net);
        Inputs.warn(net, sim, spec.commandLine().getErr(), lang);
        List<ProbeResult> results = new ArrayList<>();
        for (Probe p : list) results.add(sim.run(p, true));
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(JsonReport.render(results));
        else {
            Diagnoser diagnoser = new Diagnoser(net, sim);
            for (ProbeResult r : results) out.println(TextReport.line(r, Format.rootCause(diagnoser, r), lang));
        }
        out.flush();
        boolean failed = results.stream().anyMatch(r -> r.probe().expect() != null && !r.probe().expect().equals(r.verdict().name()));
        return failed ? 1 : 0;
    }
}
