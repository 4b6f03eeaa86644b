package dev.fisherpacknet.jobs.io;

import dev.fisherpacknet.core.config.ExecutionMode;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.report.Environment;
import dev.fisherpacknet.core.results.JsonFiles;
import dev.fisherpacknet.core.results.OutputLayout;
import dev.fisherpacknet.core.results.SweepManifest;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The provenance of a sweep's results, {@code manifest.json}: the resolved config and its hash, the git commit,
 * library versions, Java, the driver's cores and OS, the Spark master and parallelism, every run's seed and
 * parameters, and timings.
 */
public final class Manifest {
    static final String FILE = OutputLayout.MANIFEST_JSON;

    private Manifest() {
    }

    /** The manifest of a sweep whose {@code results} all finished. */
    public static Path write(Path dir, SweepConfig sweep, ExecutionMode mode, JavaSparkContext sc,
                             List<RunResult> results, Instant started, Instant finished) {
        return write(dir, sweep, mode, sc, results, List.of(), List.of(), started, finished);
    }

    /**
     * The manifest of a sweep whose {@code results} finished, {@code failures} diverged and {@code notRun} were
     * not started ({@code --fail-fast}); {@code runs} lists the finished runs only, as the result tables do.
     */
    public static Path write(Path dir, SweepConfig sweep, ExecutionMode mode, JavaSparkContext sc,
                             List<RunResult> results, List<RunFailure> failures, List<RunConfig> notRun,
                             Instant started, Instant finished) {
        Properties build = BuildInfo.properties();
        SweepManifest manifest = new SweepManifest(sweep.name(), sweep.source(), sha256(sweep.resolvedText()),
                sweep.resolvedText(), gitCommit(),
                new SweepManifest.Versions(build.getProperty("project.version"), build.getProperty("dl4j.version"),
                        sc.version(), System.getProperty("java.version")),
                new SweepManifest.Host(Runtime.getRuntime().availableProcessors(), Environment.thisOs()),
                new SweepManifest.Spark(sc.master(), sc.defaultParallelism(), mode.configName(),
                        sc.getConf().get("spark.serializer", "org.apache.spark.serializer.JavaSerializer"),
                        sc.sc().applicationId()),
                sweep.axes(), results.stream().map(SweepManifest.Run::of).toList(),
                failures.stream().map(SweepManifest.Failure::of).toList(), notRun.stream().map(RunConfig::id).toList(),
                new SweepManifest.Timing(started.toString(), finished.toString(),
                        Duration.between(started, finished).toMillis()));
        return JsonFiles.write(dir.resolve(FILE), manifest);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The commit of the working directory's git checkout, "+dirty" if it has changes, or "unknown". */
    public static String gitCommit() {
        try {
            String head = git("rev-parse", "HEAD");
            if (head.isEmpty()) {
                return "unknown";
            }
            return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "+dirty";
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return "unknown";
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            return "";
        }
        return output;
    }
}
