package dev.fisherpacknet.core.saved;

import static dev.fisherpacknet.core.results.OutputLayout.CHECKPOINT_DIR;
import static dev.fisherpacknet.core.results.OutputLayout.NETWORK_ZIP;
import static dev.fisherpacknet.core.results.OutputLayout.STATE_JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.fisherpacknet.core.ConfigName;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SparkSettings;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.results.AtomicFiles;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.RunCheckpoint;
import dev.fisherpacknet.core.run.ScoreAgreement;
import dev.fisherpacknet.core.run.TaskRecord;
import dev.fisherpacknet.core.run.WeightSample;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A run's latest checkpoint as it lies on disk, in {@code runs/<id>/checkpoint/}:
 *
 * <ul>
 *   <li>{@code network.zip}: DL4J's {@link ModelSerializer} file (no updater) of the network of the last finished
 *       task: the whole trunk (every weight a task owns; released weights are exactly zero) and that task's head;
 *       </li>
 *   <li>{@code state.json}: the rest of the state, see {@link #FORMAT}: the owner of every trunk parameter, every
 *       head with its class count, R's rows so far, the task records, and the sweep's resolved configuration
 *       (without {@code output.dir}).</li>
 * </ul>
 *
 * The folder is written whole and renamed into place, replacing the previous checkpoint in one step, so a run
 * always has at most one, complete, checkpoint. A finished run's checkpoint is its saved run.
 *
 * @param runId       the run's id
 * @param taskCount   the run's number of tasks T
 * @param inputWidth  features per example
 * @param spark       the resolved Spark settings the run was computed with (they change results in the last bits)
 * @param sweepConfig the sweep's resolved configuration (HOCON, without {@code output.dir}), from which the run's
 *                    config and data derive
 * @param checkpoint  the state after {@code checkpoint.tasksDone()} tasks
 * @param version     the layout and arithmetic version of the build that wrote it ({@link #VERSION} for this one)
 */
public record SavedRun(String runId, int taskCount, int inputWidth, SparkSettings spark, String sweepConfig,
                       RunCheckpoint checkpoint, int version) {
    /** Value of {@code state.json}'s {@code format} field. */
    public static final String FORMAT = "fisher-packnet-checkpoint";
    /**
     * Version of {@code state.json}: 2 since training runs {@code FusedAdam} (PyTorch's epsilon); version 1, the same
     * layout, was written by builds that trained with ND4J's Adam. Both are read; only this version's runs are
     * resumed ({@link SweepProgress}).
     */
    public static final int VERSION = 2;
    /** The oldest version {@link #read} accepts. */
    static final int OLDEST_READABLE_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The checkpoint folder of the run whose folder is {@code runDir}. */
    public static Path folder(Path runDir) {
        return runDir.resolve(CHECKPOINT_DIR);
    }

    /** Whether {@code runDir} holds a checkpoint. */
    public static boolean exists(Path runDir) {
        return Files.isRegularFile(folder(runDir).resolve(STATE_JSON));
    }

    /**
     * Writes {@code checkpoint} of {@code config} as the checkpoint of {@code runDir}, replacing the previous one in
     * one step.
     */
    public static Path write(Path runDir, RunConfig config, int inputWidth, String sweepConfig,
                             RunCheckpoint checkpoint) {
        SavedRun saved = new SavedRun(config.id(), config.tasks().count(), inputWidth, config.spark(),
                withoutOutputDir(sweepConfig), checkpoint, VERSION);
        NetworkFactory factory = new NetworkFactory(config.model(), inputWidth, config.training().learningRate());
        MultiLayerNetwork net = saved.lastNetwork(factory);
        String state = saved.stateJson();
        return AtomicFiles.writeFolder(folder(runDir), tmp -> {
            Files.createDirectories(tmp);
            ModelSerializer.writeModel(net, tmp.resolve(NETWORK_ZIP).toFile(), false);
            Files.writeString(tmp.resolve(STATE_JSON), state);
        });
    }

    /**
     * The configuration without {@code output.dir}: where the sweep wrote is not part of the run, and a saved run
     * may be moved.
     */
    static String withoutOutputDir(String resolved) {
        return ConfigFactory.parseString(resolved).withoutPath("output").root().render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false));
    }

    /** The network of the last finished task: the whole trunk and its head. */
    private MultiLayerNetwork lastNetwork(NetworkFactory factory) {
        int last = checkpoint.tasksDone() - 1;
        float[] trunk = checkpoint.trunk();
        float[] head = checkpoint.heads().get(last);
        float[] params = new float[trunk.length + head.length];
        System.arraycopy(trunk, 0, params, 0, trunk.length);
        System.arraycopy(head, 0, params, trunk.length, head.length);
        MultiLayerNetwork net = factory.create(checkpoint.headClasses().get(last), 0L);
        net.setParams(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT));
        return net;
    }

    private String stateJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("run", runId);
        root.put("tasks", taskCount);
        root.put("tasks_done", checkpoint.tasksDone());
        root.put("input_width", inputWidth);
        ObjectNode sparkNode = root.putObject("spark");
        sparkNode.put("partitions", spark.partitions());
        sparkNode.put("workers", spark.workers());
        sparkNode.put("averaging_frequency", spark.averagingFrequency());
        root.put("trunk_length", checkpoint.trunk().length);
        int[] owners = checkpoint.owners();
        ObjectNode ownership = root.putObject("owners");
        ownership.put("encoding", "int16-le-base64");
        ownership.put("data", encodeOwners(owners));
        ArrayNode heads = root.putArray("heads");
        for (int j = 0; j < checkpoint.tasksDone(); j++) {
            ObjectNode head = heads.addObject();
            head.put("task", j);
            head.put("classes", checkpoint.headClasses().get(j));
            head.put("encoding", "float32-le-base64");
            head.put("data", encodeFloats(checkpoint.heads().get(j)));
        }
        ArrayNode matrix = root.putArray("accuracy_matrix");
        for (double[] row : checkpoint.accuracy()) {
            ArrayNode values = matrix.addArray();
            for (double v : row) {
                values.add(v);
            }
        }
        ArrayNode tasks = root.putArray("task_records");
        for (TaskRecord record : checkpoint.records()) {
            ObjectNode task = tasks.addObject();
            task.put("task", record.task());
            task.put("free_at_start", record.freeAtStart());
            task.put("capacity_owned", record.capacityOwned());
            task.put("kept_weights", record.keptWeights());
            task.put("fisher_mass_kept", record.fisherMassKept());
            ObjectNode millis = task.putObject("millis");
            for (Phase phase : Phase.values()) {
                millis.put(phase.configName(), record.millisByPhase().getOrDefault(phase, 0L));
            }
            ArrayNode agreements = task.putArray("agreements");
            for (ScoreAgreement a : record.agreements()) {
                ObjectNode agreement = agreements.addObject();
                agreement.put("other", a.other().configName());
                agreement.put("layer", a.layer());
                agreement.put("free", a.free());
                agreement.put("jaccard", a.jaccard());
                agreement.put("spearman", a.spearman());
            }
            WeightSample sample = record.sample();
            ObjectNode sampleNode = task.putObject("weight_sample");
            sampleNode.put("layer", sample.layer());
            ArrayNode indices = sampleNode.putArray("indices");
            for (int i : sample.indices()) {
                indices.add(i);
            }
            sampleNode.put("weights", encodeFloats(sample.weights()));
            ArrayNode fisher = sampleNode.putArray("fisher");
            for (double f : sample.fisher()) {
                fisher.add(f);
            }
            ArrayNode kept = sampleNode.putArray("kept");
            for (boolean k : sample.kept()) {
                kept.add(k);
            }
        }
        root.put("millis", checkpoint.millis());
        root.put("config", sweepConfig);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the checkpoint of the run whose folder is {@code runDir}.
     *
     * @throws SavedRunException naming the file if it is missing, unreadable or inconsistent
     */
    public static SavedRun read(Path runDir) {
        Path dir = folder(runDir);
        Path stateFile = dir.resolve(STATE_JSON);
        Path networkFile = dir.resolve(NETWORK_ZIP);
        if (!Files.isRegularFile(stateFile) || !Files.isRegularFile(networkFile)) {
            throw new SavedRunException("no saved run in " + runDir + ": " + dir + " must hold " + STATE_JSON + " and "
                    + NETWORK_ZIP + "; give a run's folder, runs/<run-id>/ in a sweep's output folder");
        }
        try {
            JsonNode root = JSON.readTree(stateFile.toFile());
            int version = root.path("version").asInt();
            if (!FORMAT.equals(root.path("format").asText()) || version < OLDEST_READABLE_VERSION
                    || version > VERSION) {
                throw new IOException("it is not a version-" + OLDEST_READABLE_VERSION + " to " + VERSION + " "
                        + FORMAT + " file");
            }
            int done = required(root, "tasks_done").asInt();
            int trunkLength = required(root, "trunk_length").asInt();
            int[] owners = decodeOwners(required(required(root, "owners"), "data").asText(), trunkLength);
            List<float[]> heads = new ArrayList<>();
            List<Integer> classes = new ArrayList<>();
            for (JsonNode head : required(root, "heads")) {
                classes.add(required(head, "classes").asInt());
                heads.add(decodeFloats(required(head, "data").asText()));
            }
            List<double[]> rows = new ArrayList<>();
            for (JsonNode row : required(root, "accuracy_matrix")) {
                double[] values = new double[row.size()];
                for (int j = 0; j < values.length; j++) {
                    values[j] = row.get(j).asDouble();
                }
                rows.add(values);
            }
            List<TaskRecord> records = new ArrayList<>();
            for (JsonNode task : required(root, "task_records")) {
                Map<Phase, Long> millis = new EnumMap<>(Phase.class);
                for (Phase phase : Phase.values()) {
                    millis.put(phase, required(task, "millis").path(phase.configName()).asLong());
                }
                List<ScoreAgreement> agreements = new ArrayList<>();
                for (JsonNode a : task.path("agreements")) {
                    String other = required(a, "other").asText();
                    agreements.add(new ScoreAgreement(ConfigName.parse(ImportanceScore.class, other).orElseThrow(
                            () -> new IOException("unknown score " + other)), a.path("layer").asInt(),
                            a.path("free").asInt(), number(a, "jaccard"), number(a, "spearman")));
                }
                records.add(new TaskRecord(task.path("task").asInt(), number(task, "free_at_start"),
                        number(task, "capacity_owned"), task.path("kept_weights").asInt(),
                        number(task, "fisher_mass_kept"), millis, agreements,
                                weightSample(task.path("weight_sample"))));
            }
            float[] trunk = trunkOf(networkFile, trunkLength, heads.isEmpty() ? null : heads.get(heads.size() - 1));
            JsonNode sparkNode = required(root, "spark");
            RunCheckpoint checkpoint = new RunCheckpoint(done, trunk, heads, classes, owners,
                    rows.toArray(double[][]::new), records, required(root, "millis").asLong());
            return new SavedRun(required(root, "run").asText(), required(root, "tasks").asInt(),
                    required(root, "input_width").asInt(), new SparkSettings(sparkNode.path("partitions").asInt(),
                    sparkNode.path("workers").asInt(), sparkNode.path("averaging_frequency").asInt()),
                    required(root, "config").asText(), checkpoint, version);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SavedRunException s) {
                throw s;
            }
            throw new SavedRunException("cannot read the saved run in " + dir + " (" + e.getMessage() + "); if it"
                    + " is damaged, delete " + dir + " and the sweep computes that run again", e);
        }
    }

    /** The trunk from {@code network.zip}, checked against the head {@code state.json} records for its task. */
    private static float[] trunkOf(Path networkFile, int trunkLength, float[] lastHead) throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(networkFile.toFile(), false);
        float[] params = net.params().dup().data().asFloat();
        if (lastHead == null || params.length != trunkLength + lastHead.length) {
            throw new IOException(NETWORK_ZIP + " has " + params.length + " parameters, " + STATE_JSON
                    + " describes a trunk"
                    + " of " + trunkLength + " and a last head of " + (lastHead == null ? 0 : lastHead.length));
        }
        for (int i = 0; i < lastHead.length; i++) {
            if (Float.floatToRawIntBits(params[trunkLength + i]) != Float.floatToRawIntBits(lastHead[i])) {
                throw new IOException("the head in " + NETWORK_ZIP + " differs from the last head in " + STATE_JSON);
            }
        }
        float[] trunk = new float[trunkLength];
        System.arraycopy(params, 0, trunk, 0, trunkLength);
        return trunk;
    }

    private static WeightSample weightSample(JsonNode node) {
        if (node.isMissingNode()) {
            return WeightSample.NONE;
        }
        int n = node.path("indices").size();
        int[] indices = new int[n];
        double[] fisher = new double[n];
        boolean[] kept = new boolean[n];
        for (int k = 0; k < n; k++) {
            indices[k] = node.path("indices").get(k).asInt();
            JsonNode f = node.path("fisher").get(k);
            fisher[k] = f.isTextual() ? Double.parseDouble(f.asText()) : f.asDouble();
            kept[k] = node.path("kept").get(k).asBoolean();
        }
        return new WeightSample(node.path("layer").asInt(), indices, decodeFloats(node.path("weights").asText()),
                fisher, kept);
    }

    private static JsonNode required(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IOException("field \"" + field + "\" is missing");
        }
        return value;
    }

    /** A double field; NaN is written as the string "NaN". */
    private static double number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? Double.parseDouble(value.asText()) : value.asDouble();
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

    static String encodeOwners(int[] owners) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * owners.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int owner : owners) {
            buffer.putShort((short) owner);
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    static int[] decodeOwners(String text, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.remaining() != 2 * length) {
            throw new IOException("owners hold " + buffer.remaining() / 2 + " values for a trunk of " + length);
        }
        int[] owners = new int[length];
        for (int i = 0; i < length; i++) {
            owners[i] = buffer.getShort();
        }
        return owners;
    }
}
