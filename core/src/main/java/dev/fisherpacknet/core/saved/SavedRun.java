package dev.fisherpacknet.core.saved;

import static dev.fisherpacknet.core.results.OutputLayout.CHECKPOINT_DIR;
import static dev.fisherpacknet.core.results.OutputLayout.NETWORK_ZIP;
import static dev.fisherpacknet.core.results.OutputLayout.STATE_JSON;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SparkSettings;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.results.AtomicFiles;
import dev.fisherpacknet.core.results.JsonFiles;
import dev.fisherpacknet.core.run.RunCheckpoint;
import dev.fisherpacknet.core.run.TaskRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 *   <li>{@code state.json}: the rest of the state ({@link CheckpointState}): the owner of every trunk parameter, every
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
        List<CheckpointState.Head> heads = new ArrayList<>();
        for (int j = 0; j < checkpoint.tasksDone(); j++) {
            heads.add(CheckpointState.Head.of(j, checkpoint.headClasses().get(j), checkpoint.heads().get(j)));
        }
        return JsonFiles.text(new CheckpointState(FORMAT, VERSION, runId, taskCount, checkpoint.tasksDone(),
                inputWidth, new CheckpointState.Spark(spark.partitions(), spark.workers(), spark.averagingFrequency()),
                checkpoint.trunk().length, CheckpointState.Owners.of(checkpoint.owners()), heads,
                checkpoint.accuracy(), checkpoint.records().stream().map(CheckpointState.Task::of).toList(),
                checkpoint.millis(), sweepConfig));
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
            CheckpointState state = JsonFiles.read(stateFile, CheckpointState.class);
            int[] owners = state.owners().decode(state.trunkLength());
            List<float[]> heads = new ArrayList<>();
            List<Integer> classes = new ArrayList<>();
            for (CheckpointState.Head head : state.heads()) {
                classes.add(head.classes());
                heads.add(CheckpointState.decodeFloats(head.data()));
            }
            List<TaskRecord> records = state.taskRecords().stream().map(CheckpointState.Task::toRecord).toList();
            float[] trunk = trunkOf(networkFile, state.trunkLength(), heads.isEmpty() ? null
                    : heads.get(heads.size() - 1));
            RunCheckpoint checkpoint = new RunCheckpoint(state.tasksDone(), trunk, heads, classes, owners,
                    state.accuracyMatrix(), records, state.millis());
            CheckpointState.Spark spark = state.spark();
            return new SavedRun(state.run(), state.tasks(), state.inputWidth(), new SparkSettings(spark.partitions(),
                    spark.workers(), spark.averagingFrequency()), state.config(), checkpoint, state.version());
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
                    + " describes a trunk of " + trunkLength + " and a last head of "
                    + (lastHead == null ? 0 : lastHead.length));
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
}
