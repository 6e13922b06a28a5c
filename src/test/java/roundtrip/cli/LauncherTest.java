package roundtrip.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/roundtrip's class-data archive: built in the background after a run without one, used by the next run,
 * built again when the jar changes, and never the reason a run fails. The launcher runs on an install of its own
 * (bin/, examples/ and a jar of target/classes whose manifest names the dependency jars), so the test does not
 * need `mvn package`.
 */
class LauncherTest {
    private static final long BUILD_SECONDS = 240;

    @TempDir Path install;
    Path jar, archive, id;

    @BeforeEach
    void install() throws IOException {
        Files.createDirectories(install.resolve("bin"));
        Files.copy(Path.of("bin/roundtrip"), install.resolve("bin/roundtrip"));
        install.resolve("bin/roundtrip").toFile().setExecutable(true);
        copyTree(Path.of("examples"), install.resolve("examples"));
        Path lib = Files.createDirectories(install.resolve("target/lib"));
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) continue;
            Path p = Path.of(entry);
            Files.copy(p, lib.resolve(p.getFileName()));
            classPath.add("lib/" + p.getFileName());
        }
        jar = install.resolve("target/roundtrip.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "roundtrip.cli.Main");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        Path classes = Path.of("target/classes");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isDirectory(f)) continue;
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        archive = install.resolve("target/roundtrip.jsa");
        id = install.resolve("target/roundtrip.jsa.id");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t); else Files.copy(p, t);
            }
        }
    }

    private record Result(int exit, String out, String classLog) {}

    /** Runs the launcher; the JVM logs where each class came from (archive or jar) to a file. */
    private Result run(Map<String, String> env, String... args) throws Exception {
        Path log = Files.createTempFile(install, "classes", ".log");
        List<String> cmd = new ArrayList<>(List.of(install.resolve("bin/roundtrip").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + log);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, Files.readString(log));
    }

    private Result check(Map<String, String> env) throws Exception {
        String s2 = install.resolve("examples/s2-missing-return-route").toString();
        Result r = run(env, "check", "--snapshot", s2 + "/snapshot", "--probes", s2 + "/probes.json");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("ssh-pc").contains("REPLY_LOST");
        return r;
    }

    private static boolean fromArchive(Result r) {
        return r.classLog().lines().anyMatch(l -> l.contains("roundtrip.cli.Main source: shared objects file"));
    }

    /** Waits until the archive's identity file is (re)written after {@code since}, and no build is under way. */
    private void awaitBuild(FileTime since) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BUILD_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(id) && Files.getLastModifiedTime(id).compareTo(since) >= 0
                    && !Files.exists(install.resolve("target/roundtrip.jsa.lock"))) return;
            Thread.sleep(250);
        }
        throw new AssertionError("no archive after " + BUILD_SECONDS + " s; log:\n" + readLog());
    }

    /** Waits until the archive's identity file says something else than {@code before}, and no build is under way. */
    private void awaitRebuild(String before) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BUILD_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(id) && !Files.readString(id).equals(before) && !Files.exists(install.resolve("target/roundtrip.jsa.lock"))) return;
            Thread.sleep(250);
        }
        throw new AssertionError("no new archive after " + BUILD_SECONDS + " s; log:\n" + readLog());
    }

    private String readLog() throws IOException {
        Path log = install.resolve("target/roundtrip.jsa.log");
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }

    @Test
    void theArchiveIsBuiltOnceUsedRebuiltForANewJarAndNeverFailsARun() throws Exception {
        // two first runs at once: both answer, one archive is built
        FileTime start = FileTime.fromMillis(System.currentTimeMillis() - 1000);
        Thread other = new Thread(() -> {
            try { check(Map.of()); } catch (Exception e) { throw new RuntimeException(e); }
        });
        other.start();
        Result first = check(Map.of());
        other.join();
        assertThat(fromArchive(first)).isFalse();
        awaitBuild(start);
        assertThat(fromArchive(check(Map.of()))).as(readLog()).isTrue();

        // a damaged archive of the recorded size and time: the JVM ignores it, the run answers all the same
        long size = Files.size(archive);
        FileTime time = Files.getLastModifiedTime(archive);
        archive.toFile().setWritable(true);
        try (OutputStream o = Files.newOutputStream(archive)) {
            byte[] junk = new byte[(int) size];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            o.write(junk);
        }
        Files.setLastModifiedTime(archive, time);
        assertThat(fromArchive(check(Map.of()))).isFalse();

        // a new jar: the run answers from the jar, and the archive is built again for it
        // (waited for by the identity file's content: its time alone cannot tell the new build from the first one,
        // which may have finished less than a second ago)
        String firstBuild = Files.readString(id);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(fromArchive(check(Map.of()))).isFalse();
        awaitRebuild(firstBuild);
        assertThat(fromArchive(check(Map.of()))).as(readLog()).isTrue();
    }

    /** Runs {@code script} with sh in {@code dir}, CDPATH set to lead cd astray; returns exit code and output. */
    private Result shell(Path dir, String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("ROUNDTRIP_CDS", "off");
        pb.environment().put("CDPATH", install.resolve("examples").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, "");
    }

    /**
     * The launcher finds its install from its own path with shell builtins (no dirname, no pwd subshell): named by a
     * relative path from another directory, or by its bare name from bin/, it finds the jar, and the user's relative
     * arguments still mean what they meant in the user's directory.
     */
    @Test
    void runsFromAnyDirectoryWithArgumentsRelativeToTheCaller() throws Exception {
        Path caller = Files.createDirectories(install.resolve("elsewhere/deeper"));
        String s2 = "../../examples/s2-missing-return-route";
        Result r = shell(caller, "../../bin/roundtrip check --snapshot " + s2 + "/snapshot --probes " + s2 + "/probes.json");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("ssh-pc").contains("REPLY_LOST");

        Result byName = shell(install.resolve("bin"), "sh roundtrip check --snapshot ../examples/s2-missing-return-route/snapshot "
                + "--probes ../examples/s2-missing-return-route/probes.json");
        assertThat(byName.exit()).as(byName.out()).isZero();
        assertThat(byName.out()).contains("REPLY_LOST");
    }

    /** Under the C locale the launcher gives the JVM a UTF-8 character type: a Chinese file name is read, and said back. */
    @Test
    void aChineseFileNameUnderTheCLocale() throws Exception {
        Path dir = Files.createDirectories(install.resolve("快照"));
        copyTree(install.resolve("examples/s2-missing-return-route"), dir.resolve("s2"));
        for (String lcAll : new String[] {null, "C"}) {
            ProcessBuilder pb = new ProcessBuilder(install.resolve("bin/roundtrip").toString(), "check", "--snapshot",
                    dir.resolve("s2/snapshot").toString(), "--probes", dir.resolve("s2/probes.json").toString(), "--lang", "zh")
                    .redirectErrorStream(true);
            pb.environment().put("ROUNDTRIP_CDS", "off");
            pb.environment().put("LANG", "C");
            pb.environment().remove("LC_CTYPE");
            if (lcAll == null) pb.environment().remove("LC_ALL"); else pb.environment().put("LC_ALL", lcAll);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("ssh-pc").contains("符合预期");
        }
        ProcessBuilder pb = new ProcessBuilder(install.resolve("bin/roundtrip").toString(), "check", "--snapshot",
                dir.resolve("没有").toString(), "--probes", "p.json").redirectErrorStream(true);
        pb.environment().put("ROUNDTRIP_CDS", "off");
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("roundtrip: " + dir.resolve("没有") + ": no such snapshot\n");
    }

    /** The flags the JVM really got from the launcher (-XX:+PrintCommandLineFlags), for {@code args}. */
    private String jvmFlags(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(install.resolve("bin/roundtrip").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ROUNDTRIP_CDS", "off");
        pb.environment().put("JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> l.startsWith("-XX:")).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    /**
     * The JVM gets what JvmFlags says, as the launcher works it out: one-shot commands C1 only with the serial
     * collector, and one compiler thread where /sys lists one or two CPUs; matrix and bench the parallel collector,
     * a young generation of a ninth, huge pages and the compiler's own thread count.
     */
    @Test
    void theJvmGetsTheFlagsForItsCommandAndTheCpus() throws Exception {
        long cpus;
        try (Stream<Path> s = Files.list(Path.of("/sys/devices/system/cpu"))) {
            cpus = s.filter(p -> p.getFileName().toString().matches("cpu[0-9]+")).count();
        }
        String oneShot = jvmFlags("--version");
        for (String f : roundtrip.bench.JvmFlags.oneShot((int) cpus, roundtrip.bench.JvmFlags.hugePages())) assertThat(oneShot).contains(f);
        if (cpus <= 2) assertThat(oneShot).contains("-XX:CICompilerCount=1");
        else assertThat(oneShot).doesNotContain("CICompilerCount");
        String matrix = jvmFlags("matrix", "--help");
        for (String f : roundtrip.bench.JvmFlags.longRunning()) assertThat(matrix).contains(f);
        if (!roundtrip.bench.JvmFlags.hugePages()) assertThat(oneShot + matrix).doesNotContain("TransparentHugePages");
        assertThat(matrix).doesNotContain("CICompilerCount").doesNotContain("TieredStopAtLevel");
    }

    @Test
    void offMeansNoArchive() throws Exception {
        Result r = check(Map.of("ROUNDTRIP_CDS", "off"));
        assertThat(fromArchive(r)).isFalse();
        Thread.sleep(500);
        assertThat(archive).doesNotExist();
        assertThat(install.resolve("target/roundtrip.jsa.lock")).doesNotExist();
    }
}
