package dev.fisherpacknet.core.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: the provenance of a finished sweep, written by the job when the sweep ends and read by the
 * report (runs, axes, config, environment) and by a later sweep into the same folder. Fields that older manifests
 * lack ({@code failures}, {@code not_run}, a run's {@code training}, the serializer) read as null or empty;
 * only {@code config} is required.
 *
 * @param experiment   {@code experiment.name}
 * @param source       the config file and overrides that made it
 * @param configSha256 SHA-256 of {@code config}
 * @param config       the resolved configuration (HOCON)
 * @param gitCommit    the commit of the working directory, {@code +dirty} with changes, or {@code unknown}
 * @param versions     the versions of the project and its main libraries
 * @param host         the driver's machine
 * @param spark        the Spark application
 * @param axes         the swept keys
 * @param runs         the finished runs, in the order of the result tables
 * @param failures     the runs that diverged
 * @param notRun       the ids of the runs not started ({@code --fail-fast})
 * @param timing       when the sweep started and finished
 */
@JsonPropertyOrder({"experiment", "source", "config_sha256", "config", "git_commit", "versions", "host", "spark",
    "axes", "runs", "failures", "not_run", "timing"})
public record SweepManifest(
        @JsonProperty("experiment") String experiment,
        @JsonProperty("source") String source,
        @JsonProperty("config_sha256") String configSha256,
        @JsonProperty("config") String config,
        @JsonProperty("git_commit") String gitCommit,
        @JsonProperty("versions") Versions versions,
        @JsonProperty("host") Host host,
        @JsonProperty("spark") Spark spark,
        @JsonProperty("axes") List<String> axes,
        @JsonProperty("runs") List<Run> runs,
        @JsonProperty("failures") List<Failure> failures,
        @JsonProperty("not_run") List<String> notRun,
        @JsonProperty("timing") Timing timing) {

    /** The value of a text field an older manifest lacks. */
    public static final String UNKNOWN = "unknown";

    public SweepManifest {
        JsonFiles.required(config, "config");
        gitCommit = orUnknown(gitCommit);
        versions = versions == null ? new Versions(null, null, null, null) : versions;
        host = host == null ? new Host(0, null) : host;
        spark = spark == null ? new Spark(null, 0, null, null, null) : spark;
        axes = listOf(axes);
        runs = listOf(runs);
        failures = listOf(failures);
        notRun = listOf(notRun);
        timing = timing == null ? new Timing(null, null, 0) : timing;
    }

    private static <T> List<T> listOf(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    private static Map<String, String> mapOf(Map<String, String> values) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values == null ? Map.of() : values));
    }

    private static String orUnknown(String value) {
        return value == null ? UNKNOWN : value;
    }

    /** Versions; {@code unknown} where a manifest does not say. */
    @JsonPropertyOrder({"fisher_packnet", "deeplearning4j", "spark", "java"})
    public record Versions(
            @JsonProperty("fisher_packnet") String fisherPacknet,
            @JsonProperty("deeplearning4j") String deeplearning4j,
            @JsonProperty("spark") String spark,
            @JsonProperty("java") String java) {
        public Versions {
            fisherPacknet = orUnknown(fisherPacknet);
            deeplearning4j = orUnknown(deeplearning4j);
            spark = orUnknown(spark);
            java = orUnknown(java);
        }
    }

    /** The driver's machine: cores (0 if unknown) and operating system. */
    @JsonPropertyOrder({"cores", "os"})
    public record Host(@JsonProperty("cores") int cores, @JsonProperty("os") String os) {
        public Host {
            os = orUnknown(os);
        }
    }

    /**
     * The Spark application: master, default parallelism (0 if unknown), the execution mode, the serializer class and
     * the application id.
     */
    @JsonPropertyOrder({"master", "default_parallelism", "mode", "serializer", "application_id"})
    public record Spark(
            @JsonProperty("master") String master,
            @JsonProperty("default_parallelism") int defaultParallelism,
            @JsonProperty("mode") String mode,
            @JsonProperty("serializer") String serializer,
            @JsonProperty("application_id") String applicationId) {
        public Spark {
            master = orUnknown(master);
        }
    }

    /** A finished run: its seed, method, how it trained (in words), its sweep values and wall time. */
    @JsonPropertyOrder({"id", "seed", "method", "training", "sweep_values", "millis"})
    public record Run(
            @JsonProperty("id") String id,
            @JsonProperty("seed") long seed,
            @JsonProperty("method") String method,
            @JsonProperty("training") String training,
            @JsonProperty("sweep_values") Map<String, String> sweepValues,
            @JsonProperty("millis") long millis) {
        public Run {
            JsonFiles.required(id, "id");
            sweepValues = mapOf(sweepValues);
        }

        /** The entry of {@code result}. */
        public static Run of(RunResult result) {
            RunConfig c = result.config();
            return new Run(c.id(), c.seed(), c.method(), c.describeTraining(), c.sweepValues(), result.millis());
        }
    }

    /** A run that diverged: at which task and phase, why, and after how long. */
    @JsonPropertyOrder({"id", "seed", "sweep_values", "task", "phase", "reason", "millis"})
    public record Failure(
            @JsonProperty("id") String id,
            @JsonProperty("seed") long seed,
            @JsonProperty("sweep_values") Map<String, String> sweepValues,
            @JsonProperty("task") int task,
            @JsonProperty("phase") String phase,
            @JsonProperty("reason") String reason,
            @JsonProperty("millis") long millis) {
        public Failure {
            JsonFiles.required(id, "id");
            sweepValues = mapOf(sweepValues);
        }

        /** The entry of {@code failure}. */
        public static Failure of(RunFailure failure) {
            RunConfig c = failure.config();
            return new Failure(c.id(), c.seed(), c.sweepValues(), failure.task(), failure.phase().configName(),
                    failure.reason(), failure.millis());
        }
    }

    /** When the sweep started and finished (ISO-8601 instants) and the milliseconds between. */
    @JsonPropertyOrder({"started", "finished", "millis"})
    public record Timing(
            @JsonProperty("started") String started,
            @JsonProperty("finished") String finished,
            @JsonProperty("millis") long millis) {
    }
}
