package dev.fisherpacknet.jobs.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fisherpacknet.core.config.ExecutionMode;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.report.Environment;
import dev.fisherpacknet.core.results.OutputLayout;
import dev.fisherpacknet.core.results.ResultsWriter;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
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

    public static Path write(Path dir, SweepConfig sweep, ExecutionMode mode, JavaSparkContext sc,
            java.util.List<RunResult> results,
                      Instant started, Instant finished) {
        return write(dir, sweep, mode, sc, results, java.util.List.of(), java.util.List.of(), started, finished);
    }

    /**
     * The manifest of a sweep whose {@code results} finished, {@code failures} diverged and {@code notRun} were
     * not started ({@code --fail-fast}); {@code runs} lists the finished runs only, as the result tables do.
     */
    public static Path write(Path dir, SweepConfig sweep, ExecutionMode mode, JavaSparkContext sc,
                      java.util.List<RunResult> results, java.util.List<RunFailure> failures,
                      java.util.List<RunConfig> notRun, Instant started, Instant finished) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("experiment", sweep.name());
        root.put("source", sweep.source());
        root.put("config_sha256", sha256(sweep.resolvedText()));
        root.put("config", sweep.resolvedText());
        root.put("git_commit", gitCommit());
        ObjectNode versions = root.putObject("versions");
        Properties build = BuildInfo.properties();
        versions.put("fisher_packnet", build.getProperty("project.version", "unknown"));
        versions.put("deeplearning4j", build.getProperty("dl4j.version", "unknown"));
        versions.put("spark", sc.version());
        versions.put("java", System.getProperty("java.version"));
        ObjectNode host = root.putObject("host");
        host.put("cores", Runtime.getRuntime().availableProcessors());
        host.put("os", Environment.thisOs());
        ObjectNode spark = root.putObject("spark");
        spark.put("master", sc.master());
        spark.put("default_parallelism", sc.defaultParallelism());
        spark.put("mode", mode.configName());
        spark.put("serializer", sc.getConf().get("spark.serializer", "org.apache.spark.serializer.JavaSerializer"));
        spark.put("application_id", sc.sc().applicationId());
        root.putArray("axes").addAll(sweep.axes().stream().map(json.getNodeFactory()::textNode).toList());
        ArrayNode runs = root.putArray("runs");
        for (RunResult r : results) {
            ObjectNode run = runs.addObject();
            run.put("id", r.config().id());
            run.put("seed", r.config().seed());
            run.put("method", r.config().method());
            run.put("training", r.config().describeTraining());
            ObjectNode values = run.putObject("sweep_values");
            r.config().sweepValues().forEach(values::put);
            run.put("millis", r.millis());
        }
        ArrayNode failed = root.putArray("failures");
        for (RunFailure f : failures) {
            ObjectNode run = failed.addObject();
            run.put("id", f.config().id());
            run.put("seed", f.config().seed());
            ObjectNode values = run.putObject("sweep_values");
            f.config().sweepValues().forEach(values::put);
            run.put("task", f.task());
            run.put("phase", f.phase().configName());
            run.put("reason", f.reason());
            run.put("millis", f.millis());
        }
        root.putArray("not_run").addAll(notRun.stream().map(r -> json.getNodeFactory().textNode(r.id())).toList());
        ObjectNode timing = root.putObject("timing");
        timing.put("started", started.toString());
        timing.put("finished", finished.toString());
        timing.put("millis", Duration.between(started, finished).toMillis());
        try {
            return ResultsWriter.writeAtomically(dir.resolve(FILE), json.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
