package roundtrip.cli;

import roundtrip.bench.BundledLab;
import roundtrip.bench.Spread;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench's one-shot figure (issue 13): whole processes of check, trace and why, as bin/roundtrip runs them, on the
 * bundled 9-host lab snapshot with its 7 probes, against a bare JVM start with the same flags. The commands take
 * turns round by round, so that the load of a busy machine falls on all of them alike; each command's ratio is taken
 * per round against that round's bare start, and reported as the median with min-max over the rounds. CPU time
 * (the children's user + system time from /proc/self/stat) is shown too: it is less disturbed by other processes.
 */
final class OneShot {
    private record Goal(String name, double ratio) {}

    private final PrintStream err;
    private final String java;
    private final Path jar;
    private final Path launcher;
    private final int rounds;
    private final boolean zh;

    OneShot(PrintStream err, String java, Path jar, Path launcher, int rounds, boolean zh) {
        this.err = err;
        this.java = java;
        this.jar = jar;
        this.launcher = launcher;
        this.rounds = rounds;
        this.zh = zh;
    }

    private String w(String en, String zhText) { return zh ? zhText : en; }

    void measure(PrintWriter out) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("roundtrip-bench-oneshot");
        try {
            BundledLab.extract(dir);
            String snap = dir.resolve("snapshot").toString(), probes = dir.resolve("probes.json").toString();
            List<String> bare = new ArrayList<>(List.of(java));
            bare.addAll(roundtrip.bench.JvmFlags.oneShot());
            bare.addAll(List.of("-Xshare:auto", "-version"));
            List<String> base = BenchCommand.roundtripCommand(jar, launcher, "check");
            Map<Goal, List<String>> cmds = new LinkedHashMap<>();
            cmds.put(new Goal(w("bare JVM (java -version)", "裸 JVM（java -version）"), 0), bare);
            cmds.put(new Goal("check", 2.5), with(base, "check", "--snapshot", snap, "--probes", probes));
            cmds.put(new Goal("trace", 2.5), with(base, "trace", "--snapshot", snap, "--from", "laptop", "--to", "192.0.2.2:443", "--proto", "tcp"));
            cmds.put(new Goal("why", 3.0), with(base, "why", "--snapshot", snap, "--probes", probes));

            err.println(w("bench: one-shot: warming up (", "bench：单次运行：预热（") + (launcher != null ? launcher : "java -jar " + jar)
                    + w(")", "）"));
            for (List<String> c : cmds.values()) run(c);
            awaitArchive();
            for (List<String> c : cmds.values()) run(c);

            int n = cmds.size();
            long[][] wall = new long[n][rounds], cpu = new long[n][rounds];
            int[] exits = new int[n];
            for (int r = 0; r < rounds; r++) {
                int i = 0;
                for (List<String> c : cmds.values()) {
                    long[] m = run(c);
                    wall[i][r] = m[0];
                    cpu[i][r] = m[1];
                    exits[i] = (int) m[2];
                    i++;
                }
                err.printf(Locale.ROOT, w("bench: one-shot: round %d/%d%n", "bench：单次运行：第 %d/%d 轮%n"), r + 1, rounds);
            }

            out.printf(Locale.ROOT, w("one-shot (whole processes%s, bundled 9-host lab snapshot, 7 probes; %d rounds; median (min-max)):%n",
                            "单次运行（完整进程%s，自带的 9 台主机实验快照，7 个探测；%d 轮；中位数（最小-最大））：%n"),
                    launcher != null ? w(" of ", "：") + launcher : w(", java -jar without the launcher's archive", "，java -jar，不用启动脚本的类数据归档"),
                    rounds);
            int i = 0;
            for (Goal g : cmds.keySet()) {
                String head = String.format(Locale.ROOT, w("  %-24s wall %s ms, CPU %s ms", "  %-24s 墙钟 %s ms，CPU %s ms"), g.name(),
                        stats(wall[i], 1e-6), stats(cpu[i], 1e-6));
                if (i == 0) {
                    out.println(head);
                } else {
                    Spread walls = Spread.of(ratios(wall[i], wall[0])), c = Spread.of(ratios(cpu[i], cpu[0]));
                    double median = walls.median();
                    out.printf(Locale.ROOT, w("%s; x bare: wall %.2f (%.2f-%.2f), CPU %.2f (%.2f-%.2f)%s%n",
                                    "%s；相对裸 JVM：墙钟 %.2f（%.2f-%.2f），CPU %.2f（%.2f-%.2f）%s%n"), head, median, walls.min(), walls.max(),
                            c.median(), c.min(), c.max(), exits[i] > 1 ? w(" (exit ", "（退出码 ") + exits[i] + w(")", "）") : "");
                    out.printf(Locale.ROOT, w("goal %s <= %.1fx a bare JVM start, whole process (issue 13): %.2fx, %s%n",
                                    "目标：%s <= 裸 JVM 启动的 %.1f 倍，完整进程（issue 13）：%.2f 倍，%s%n"), g.name(), g.ratio(),
                            median, BenchCommand.verdict(median <= g.ratio(), zh));
                }
                i++;
            }
            out.flush();
        } finally {
            BenchCommand.deleteTree(dir);
        }
    }

    private static List<String> with(List<String> base, String... args) {
        List<String> c = new ArrayList<>(base);
        c.addAll(List.of(args));
        return c;
    }

    /** Wall ns, children's CPU ns, exit code of one process. */
    private long[] run(List<String> cmd) throws IOException, InterruptedException {
        long cpu0 = roundtrip.bench.ProcStat.childrenCpuNanos();
        long a = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int code = p.waitFor();
        long wall = System.nanoTime() - a;
        return new long[] {wall, roundtrip.bench.ProcStat.childrenCpuNanos() - cpu0, code};
    }

    /**
     * The launcher builds its archive in the background after a run without one: wait for that build, so that it is
     * measured with the archive and without the build's load.
     */
    private void awaitArchive() throws InterruptedException {
        if (launcher == null) return;
        Path lock = jar.toAbsolutePath().resolveSibling("roundtrip.jsa.lock");
        long deadline = System.nanoTime() + 300_000_000_000L;
        boolean said = false;
        while (Files.exists(lock) && System.nanoTime() < deadline) {
            if (!said) err.println(w("bench: one-shot: waiting for the launcher's class-data archive to be built",
                    "bench：单次运行：等待启动脚本建好类数据归档"));
            said = true;
            Thread.sleep(500);
        }
    }

    private static String stats(long[] v, double scale) {
        Spread s = Spread.of(Arrays.stream(v).mapToDouble(x -> x * scale).toArray());
        return String.format(Locale.ROOT, "%.0f (%.0f-%.0f)", s.median(), s.min(), s.max());
    }

    private static double[] ratios(long[] a, long[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = b[i] == 0 ? 0 : (double) a[i] / b[i];
        return r;
    }

}
