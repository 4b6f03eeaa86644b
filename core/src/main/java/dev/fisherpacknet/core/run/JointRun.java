package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.config.Baseline;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.JointExamples;
import dev.fisherpacknet.core.data.RunData;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.model.ParamLayout;
import dev.fisherpacknet.core.train.ParameterMask;
import dev.fisherpacknet.core.train.TaskTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The joint baseline (docs/PROTOCOL.md: the upper bound): one network with the shared trunk and every task's head side
 * by side ({@link NetworkFactory#createJoint}) trains on all tasks' examples at once ({@link JointExamples}: each epoch
 * shuffles the union, so a minibatch mixes tasks), for {@code training.epochs} epochs over the union, i.e. as many
 * passes over each task's data as a sequential run makes. Each example's loss goes through its own task's head only.
 * Afterwards head k is cut out of the joint output layer and every task is evaluated with its head and the trunk.
 *
 * <p>There is no sequence, so only the last row of R exists: R[T-1][j] is task j's accuracy after training on
 * everything. Earlier rows stay NaN (not written to the result files), and so BWT, forgetting, learning accuracy and
 * FWT are not defined for joint; ACC is.
 */
public final class JointRun implements SweepRun {
    private final RunConfig config;
    private final RunData data;
    private final TaskTrainer trainer;

    /**
     * @param config  a joint grid point
     * @param data    base training and test examples
     * @param trainer executes the training
     */
    public JointRun(RunConfig config, RunData data, TaskTrainer trainer) {
        if (!config.isBaseline() || config.baseline().kind() != Baseline.JOINT) {
            throw new IllegalArgumentException("run " + config.id() + " is not a joint baseline");
        }
        this.config = config;
        this.data = data;
        this.trainer = trainer;
    }

    /**
     * Trains on every task at once. Joint training has no state between tasks to save: it hands
     * {@code checkpoints} nothing, and a resumed sweep computes an unfinished or finished joint run again.
     */
    @Override
    public RunResult run(ProgressListener progress, TaskObserver observer, RunCheckpoint resumeFrom,
                         Consumer<RunCheckpoint> checkpoints) {
        if (resumeFrom != null) {
            throw new IllegalArgumentException("joint run " + config.id() + " has no checkpoints to resume from");
        }
        return runAll(progress, observer);
    }

    private RunResult runAll(ProgressListener progress, TaskObserver observer) {
        long start = System.nanoTime();
        long seed = config.seed();
        List<Task> tasks = TaskStreams.build(config.tasks(), seed, data);
        int count = tasks.size();
        int last = count - 1;
        JointExamples joint = new JointExamples(tasks);
        NetworkFactory factory = new NetworkFactory(config.model(), data.trainRecords().width(),
                config.training().learningRate());
        MultiLayerNetwork net = factory.createJoint(joint.blockSizes(), Seeds.derive(seed, "init-joint"));
        Map<Phase, Long> millis = new EnumMap<>(Phase.class);

        progress.onPhase(last, Phase.TRAIN);
        float[] initial = RunChecks.params(net);
        boolean[] all = new boolean[initial.length];
        Arrays.fill(all, true);
        long trainStart = System.nanoTime();
        trainer.train(net, joint, ParameterMask.of(initial, all), config.training().epochs(),
                Seeds.derive(seed, "shuffle-joint"));
        millis.put(Phase.TRAIN, (System.nanoTime() - trainStart) / 1_000_000);
        float[] trained = RunChecks.params(net);
        RunChecks.requireFinite(trained, config.id(), last, Phase.TRAIN, "the trained parameters hold");

        progress.onPhase(last, Phase.EVALUATE);
        long evaluateStart = System.nanoTime();
        MultiHeadModel model = split(factory, joint, ParamLayout.of(net), trained);
        double[][] accuracy = new double[count][count];
        for (double[] row : accuracy) {
            Arrays.fill(row, Double.NaN);
        }
        for (int j = 0; j < count; j++) {
            accuracy[last][j] = RunChecks.accuracy(model, tasks.get(j), j, data.test());
        }
        millis.put(Phase.EVALUATE, (System.nanoTime() - evaluateStart) / 1_000_000);
        List<TaskRecord> records = new ArrayList<>();
        records.add(new TaskRecord(last, Double.NaN, Double.NaN, 0, Double.NaN, millis));
        observer.afterTask(last, model);
        return new RunResult(config, new AccuracyMatrix(accuracy), records, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The trained joint network as a multi-head model: the trunk as it is, and head k made of block k's columns of
     * the joint output layer's weights and biases.
     */
    static MultiHeadModel split(NetworkFactory factory, JointExamples joint, ParamLayout jointLayout,
                                float[] trained) {
        ParamLayout.Layer wide = jointLayout.head();
        int trunkLength = jointLayout.trunkLength();
        MultiHeadModel model = null;
        for (int k = 0; k < joint.tasks().size(); k++) {
            int classes = joint.tasks().get(k).numClasses();
            int offset = joint.blockOffset(k);
            MultiLayerNetwork headNet = factory.create(classes, 0L);
            ParamLayout.Layer head = ParamLayout.of(headNet).head();
            float[] params = new float[(int) headNet.numParams()];
            System.arraycopy(trained, 0, params, 0, trunkLength);
            for (int i = 0; i < head.nIn(); i++) {
                for (int c = 0; c < classes; c++) {
                    params[head.weightIndex(i, c)] = trained[wide.weightIndex(i, offset + c)];
                }
            }
            for (int c = 0; c < classes; c++) {
                params[head.biasOffset() + c] = trained[wide.biasOffset() + offset + c];
            }
            headNet.setParams(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT));
            if (model == null) {
                model = MultiHeadModel.startShared(factory, headNet);
            }
            model.finishTask(headNet, classes);
        }
        return model;
    }
}
