package roundtrip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** `roundtrip collect-script`: the read-only POSIX sh collector a user runs on each real host. */
@Command(name = "collect-script", mixinStandardHelpOptions = true,
        description = "Print the collector script: run it on each host (sh collect.sh [HOST] [OUT.tar.gz]), "
                + "then: roundtrip check --snapshot A.tar.gz --snapshot B.tar.gz --topology topology.json ...")
final class CollectScriptCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() throws IOException {
        try (InputStream in = CollectScriptCommand.class.getResourceAsStream("/roundtrip/collect.sh")) {
            spec.commandLine().getOut().print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
