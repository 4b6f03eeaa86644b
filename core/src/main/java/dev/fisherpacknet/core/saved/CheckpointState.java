package dev.fisherpacknet.core.saved;

import static dev.fisherpacknet.core.results.JsonFiles.required;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.fisherpacknet.core.ConfigName;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.ScoreAgreement;
import dev.fisherpacknet.core.run.TaskRecord;
import dev.fisherpacknet.core.run.WeightSample;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint's {@code state.json}, everything of a saved run but the network: bound with Jackson for writing and
 * reading. Arrays of weights and owners are little-endian binary in Base64 (a trunk has hundreds of thousands of
 * entries); JSON has no NaN, so a double that is not a number (a baseline's Fisher mass) is the string
 * {@code "NaN"}, as Jackson writes it. The compact constructors check what a file must hold, the format and version
 * first: a file that is not a checkpoint is named as such before a missing field is.
 *
 * @param format          always {@link SavedRun#FORMAT}
 * @param version         the version of the build that wrote it
 * @param run             the run's id
 * @param tasks           the run's number of tasks
 * @param tasksDone       tasks finished when it was written
 * @param inputWidth      features per example
 * @param spark           the Spark settings the run was computed with
 * @param trunkLength     parameters of the trunk
 * @param owners          the owner of every trunk parameter
 * @param heads           every finished task's head
 * @param accuracyMatrix  R's rows so far
 * @param taskRecords     the records of the finished tasks
 * @param millis          wall time so far
 * @param config          the sweep's resolved configuration, without {@code output.dir}
 */
@JsonPropertyOrder({"format", "version", "run", "tasks", "tasks_done", "input_width", "spark", "trunk_length", "owners",
    "heads", "accuracy_matrix", "task_records", "millis", "config"})
record CheckpointState(
        @JsonProperty("format") String format,
        @JsonProperty("version") int version,
        @JsonProperty("run") String run,
        @JsonProperty("tasks") Integer tasks,
        @JsonProperty("tasks_done") Integer tasksDone,
        @JsonProperty("input_width") Integer inputWidth,
        @JsonProperty("spark") Spark spark,
        @JsonProperty("trunk_length") Integer trunkLength,
        @JsonProperty("owners") Owners owners,
        @JsonProperty("heads") List<Head> heads,
        @JsonProperty("accuracy_matrix") double[][] accuracyMatrix,
        @JsonProperty("task_records") List<Task> taskRecords,
        @JsonProperty("millis") Long millis,
        @JsonProperty("config") String config) {

    private static final String FLOATS = "float32-le-base64";
    private static final String OWNERS = "int16-le-base64";

    CheckpointState {
        if (!SavedRun.FORMAT.equals(format) || version < SavedRun.OLDEST_READABLE_VERSION
                || version > SavedRun.VERSION) {
            throw new IllegalArgumentException("it is not a version-" + SavedRun.OLDEST_READABLE_VERSION + " to "
                    + SavedRun.VERSION + " " + SavedRun.FORMAT + " file");
        }
        required(run, "run");
        required(tasks, "tasks");
        required(tasksDone, "tasks_done");
        required(inputWidth, "input_width");
        required(spark, "spark");
        required(trunkLength, "trunk_length");
        required(owners, "owners");
        heads = List.copyOf(required(heads, "heads"));
        required(accuracyMatrix, "accuracy_matrix");
        taskRecords = List.copyOf(required(taskRecords, "task_records"));
        required(millis, "millis");
        required(config, "config");
    }

    /** The Spark settings a run was computed with; they change its results in the last bits. */
    @JsonPropertyOrder({"partitions", "workers", "averaging_frequency"})
    record Spark(
            @JsonProperty("partitions") int partitions,
            @JsonProperty("workers") int workers,
            @JsonProperty("averaging_frequency") int averagingFrequency) {
    }

    /** The owner of every trunk parameter, as 16-bit integers (task index, or -1 for free). */
    @JsonPropertyOrder({"encoding", "data"})
    record Owners(@JsonProperty("encoding") String encoding, @JsonProperty("data") String data) {
        Owners {
            required(data, "owners.data");
        }

        static Owners of(int[] owners) {
            ByteBuffer buffer = ByteBuffer.allocate(2 * owners.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int owner : owners) {
                buffer.putShort((short) owner);
            }
            return new Owners(OWNERS, Base64.getEncoder().encodeToString(buffer.array()));
        }

        int[] decode(int length) {
            ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(data)).order(ByteOrder.LITTLE_ENDIAN);
            if (buffer.remaining() != 2 * length) {
                throw new IllegalArgumentException("owners hold " + buffer.remaining() / 2 + " values for a trunk of "
                        + length);
            }
            int[] owners = new int[length];
            for (int i = 0; i < length; i++) {
                owners[i] = buffer.getShort();
            }
            return owners;
        }
    }

    /** A finished task's head: its class count and parameters. */
    @JsonPropertyOrder({"task", "classes", "encoding", "data"})
    record Head(
            @JsonProperty("task") int task,
            @JsonProperty("classes") Integer classes,
            @JsonProperty("encoding") String encoding,
            @JsonProperty("data") String data) {
        Head {
            required(classes, "heads[" + task + "].classes");
            required(data, "heads[" + task + "].data");
        }

        static Head of(int task, int classes, float[] parameters) {
            return new Head(task, classes, FLOATS, encodeFloats(parameters));
        }
    }

    /** A finished task's record ({@link TaskRecord}). */
    @JsonPropertyOrder({"task", "free_at_start", "capacity_owned", "kept_weights", "fisher_mass_kept", "millis",
        "agreements", "weight_sample"})
    record Task(
            @JsonProperty("task") int task,
            @JsonProperty("free_at_start") double freeAtStart,
            @JsonProperty("capacity_owned") double capacityOwned,
            @JsonProperty("kept_weights") int keptWeights,
            @JsonProperty("fisher_mass_kept") double fisherMassKept,
            @JsonProperty("millis") Map<String, Long> millis,
            @JsonProperty("agreements") List<Agreement> agreements,
            @JsonProperty("weight_sample") Sample weightSample) {
        Task {
            required(millis, "task_records[" + task + "].millis");
            agreements = agreements == null ? List.of() : List.copyOf(agreements);
        }

        static Task of(TaskRecord record) {
            return new Task(record.task(), record.freeAtStart(), record.capacityOwned(), record.keptWeights(),
                    record.fisherMassKept(), Phase.byName(record.millisByPhase()),
                    record.agreements().stream().map(Agreement::of).toList(), Sample.of(record.sample()));
        }

        TaskRecord toRecord() {
            Map<Phase, Long> byPhase = new EnumMap<>(Phase.class);
            for (Phase phase : Phase.values()) {
                byPhase.put(phase, millis.getOrDefault(phase.configName(), 0L));
            }
            List<ScoreAgreement> scoreAgreements = new ArrayList<>();
            for (Agreement a : agreements) {
                scoreAgreements.add(a.toAgreement());
            }
            return new TaskRecord(task, freeAtStart, capacityOwned, keptWeights, fisherMassKept, byPhase,
                    scoreAgreements, weightSample == null ? WeightSample.NONE : weightSample.toSample());
        }
    }

    /** How the run's score agreed with another score at a selection ({@link ScoreAgreement}). */
    @JsonPropertyOrder({"other", "layer", "free", "jaccard", "spearman"})
    record Agreement(
            @JsonProperty("other") String other,
            @JsonProperty("layer") int layer,
            @JsonProperty("free") int free,
            @JsonProperty("jaccard") double jaccard,
            @JsonProperty("spearman") double spearman) {
        Agreement {
            required(other, "agreements.other");
        }

        static Agreement of(ScoreAgreement a) {
            return new Agreement(a.other().configName(), a.layer(), a.free(), a.jaccard(), a.spearman());
        }

        ScoreAgreement toAgreement() {
            ImportanceScore score = ConfigName.parse(ImportanceScore.class, other)
                    .orElseThrow(() -> new IllegalArgumentException("unknown score " + other));
            return new ScoreAgreement(score, layer, free, jaccard, spearman);
        }
    }

    /** A weight sample ({@link WeightSample}); weights in Base64 as the heads, the rest as JSON arrays. */
    @JsonPropertyOrder({"layer", "indices", "weights", "fisher", "kept"})
    record Sample(
            @JsonProperty("layer") int layer,
            @JsonProperty("indices") int[] indices,
            @JsonProperty("weights") String weights,
            @JsonProperty("fisher") double[] fisher,
            @JsonProperty("kept") boolean[] kept) {

        static Sample of(WeightSample sample) {
            return new Sample(sample.layer(), sample.indices(), encodeFloats(sample.weights()), sample.fisher(),
                    sample.kept());
        }

        WeightSample toSample() {
            return new WeightSample(layer, indices == null ? new int[0] : indices,
                    weights == null ? new float[0] : decodeFloats(weights), fisher == null ? new double[0] : fisher,
                    kept == null ? new boolean[0] : kept);
        }
    }

    static String encodeFloats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    static float[] decodeFloats(String text) {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[buffer.remaining() / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getFloat();
        }
        return values;
    }
}
