package roundtrip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

/** `roundtrip collect-script`: the read-only POSIX sh collector a user runs on each real host. */
@Command(name = "collect-script", mixinStandardHelpOptions = true,
        description = "Print the collector script: run it on each host (sh collect.sh [HOST] [OUT.tar.gz]), "
                + "then: roundtrip check --snapshot A.tar.gz --snapshot B.tar.gz --topology topology.json ...")
final class CollectScriptCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--lang", defaultValue = "en", paramLabel = "en|zh", description = "language of what the script says (default: en)")
    String lang;

    /** The script's messages in Chinese, by variable: each replaces the line that sets it (the script's words are data there). */
    static final Map<String, String> ZH = Map.of(
            "msg_ip_no_json", "\"roundtrip：这个 ip 命令不能输出 JSON（busybox 的 ip？）；请安装 iproute2（OpenWrt：opkg install ip-full）\"",
            "msg_wrote", "'roundtrip：已写入 %s（主机 %s）\\n'",
            "msg_skipped", "'roundtrip：已跳过：%b\\n'");

    @Override public Integer call() throws IOException {
        Format.checkLang(lang);
        String script;
        try (InputStream in = CollectScriptCommand.class.getResourceAsStream("/roundtrip/collect.sh")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        spec.commandLine().getOut().print(lang.equals("zh") ? chinese(script) : script);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The script with each message line set to its Chinese; a message without one is a bug (CliTest.collectScriptInChinese). */
    static String chinese(String script) {
        StringBuilder out = new StringBuilder(script.length() + 256);
        for (String line : script.split("\n", -1)) {
            int eq = line.indexOf('=');
            String name = line.startsWith("msg_") && eq > 0 ? line.substring(0, eq) : null;
            if (name != null && !ZH.containsKey(name)) throw new IllegalStateException("collect.sh: no Chinese for " + name);
            out.append(name != null ? name + "=" + ZH.get(name) : line).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }
}
