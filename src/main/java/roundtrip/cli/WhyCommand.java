package roundtrip.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import roundtrip.importer.ProbeReader;
import roundtrip.model.InputException;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.fix.Why;
import roundtrip.report.WhyReport;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `roundtrip why`: the root cause of a failing probe in words, and the smallest fixes, proven by simulating again. */
final class WhyCommand implements Callable<Integer> {
    final CommandSpec spec = Main.command(this, "why",
            "Explain why a probe fails (root cause with evidence) and propose fixes verified by re-simulation.");

    WhyCommand() {
        NetworkOptions.addTo(spec);
        ProbeOptions.addTo(spec);
        spec.addOption(OptionSpec.builder("--probes").paramLabel("FILE").type(Path.class)
                .description("explain every probe of this file (they are also the probes a fix must not break)").build());
        spec.addOption(OptionSpec.builder("--format").defaultValue("text").paramLabel("json|text").type(String.class).build());
        spec.addOption(OptionSpec.builder("--lang").defaultValue("en").paramLabel("en|zh").type(String.class)
                .description("language of explanations and headings").build());
    }

    @Override public Integer call() {
        NetworkOptions input = NetworkOptions.of(spec);
        ProbeOptions probeOptions = ProbeOptions.of(spec);
        Path probes = spec.findOption("--probes").getValue();
        String format = spec.findOption("--format").getValue();
        String lang = spec.findOption("--lang").getValue();
        Format.check(format);
        Format.checkLang(lang);
        Inputs.Loaded loaded = input.load(false);
        Network net = loaded.network();
        List<Probe> fileProbes = new ArrayList<>();
        if (probes != null || !loaded.probes().isEmpty()) {
            List<ProbeReader.LocatedProbe> located = probes != null ? ProbeReader.readLocated(probes) : loaded.probes();
            ProbeReader.validate(located, net);
            located.forEach(l -> fileProbes.add(l.probe()));
        }
        List<Probe> asked = new ArrayList<>();
        if (probeOptions.given()) asked.add(probeOptions.probe("why", net));
        else if (!fileProbes.isEmpty()) asked.addAll(fileProbes);
        else throw new InputException("(command line)", 0, "give --from HOST --to IP[:PORT], or --probes FILE (or a network file with probes)");

        Why why = new Why(net);
        Inputs.warn(net, why.simulator(), spec.commandLine().getErr(), lang);
        List<Why.Result> results = explainAll(why, asked, fileProbes);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(WhyReport.json(results, net, lang));
        else {
            for (int i = 0; i < results.size(); i++) {
                if (i > 0) out.println("\n" + "-".repeat(100) + "\n");
                out.print(WhyReport.text(results.get(i), net, lang));
            }
        }
        out.flush();
        return 0;
    }

    /**
     * Each probe explained on its own thread, the results in the order asked: a probe's explanation (diagnosis, then
     * every fix simulated again on a copy of the network) shares only the network, the simulator and the fixes
     * already applied with the others, and a probe file's failing probes are the slow part of a one-shot `why`
     * (issue 13). One core is left to the JIT compiler, which in a run this short takes as much CPU as the
     * explanations: on two cores one thread explains them all, 3-10 ms faster than two in four series of 31-41 runs in
     * turn (the second thread ran cold code the first had just run, competing with the compiler).
     */
    static List<Why.Result> explainAll(Why why, List<Probe> asked, List<Probe> others) {
        int threads = Math.min(asked.size(), Runtime.getRuntime().availableProcessors() - 1);
        if (threads <= 1) {
            List<Why.Result> results = new ArrayList<>();
            for (Probe p : asked) results.add(why.explain(p, others));
            return results;
        }
        java.util.concurrent.ExecutorService pool = roundtrip.sim.Workers.pool(threads, "why");
        try {
            List<java.util.concurrent.Future<Why.Result>> pending = new ArrayList<>();
            for (Probe p : asked) pending.add(pool.submit(() -> why.explain(p, others)));
            List<Why.Result> results = new ArrayList<>();
            // the explanation's own exception (bad input, or a bug) comes out as a sequential run would have thrown it
            for (java.util.concurrent.Future<Why.Result> f : pending) results.add(roundtrip.sim.Workers.get(f));
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
