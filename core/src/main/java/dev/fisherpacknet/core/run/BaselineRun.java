package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.config.Baseline;
import dev.fisherpacknet.core.config.BaselineConfig;
import dev.fisherpacknet.core.config.EwcMode;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.RunData;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.fisher.FisherEstimator;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.train.EwcPenalty;
import dev.fisherpacknet.core.train.ParameterMask;
import dev.fisherpacknet.core.train.TaskTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A sequential baseline without pruning (docs/PROTOCOL.md): {@code finetune} trains every weight of the shared trunk
 * and a new head on each task in turn; {@code ewc} does the same with the EWC penalty on the trunk from task 1 on;
 * {@code feature-extraction} trains trunk and head on task 0 and only the new head from task 1 on, the trunk held
 * bit for bit by the trainer's {@link ParameterMask} (so it forgets nothing, exactly). Task t
 * starts from the trunk task t-1 left, a head initialised from the run's seed and a fresh Adam state, and trains for
 * {@code training.epochs} (there is nothing to retrain); afterwards every task j &lt;= t is evaluated with head j and
 * the whole current trunk, so later tasks can overwrite what earlier ones learned and BWT measures it.
 *
 * <p>Task 0 is exactly the dense task-0 training of a pruned run of the same seed (same initialisation, minibatch
 * order and trainer), so it is taken from {@link TaskZeroCache} when the sweep has it. EWC's Fisher diagonal of task
 * t comes from the same {@link FisherEstimator} and seeds as a pruned run's, with {@code fisher.labels}; it covers
 * the trunk's weights and biases, as the penalty does.
 */
public final class BaselineRun implements SweepRun {
    private final RunConfig config;
    private final BaselineConfig method;
    private final RunData data;
    private final TaskTrainer trainer;
    private final FisherEstimator fisher;
    private final TaskZeroCache taskZeroCache;

    /**
     * @param config        a finetune, ewc or feature-extraction grid point
     * @param data          base training and test examples
     * @param trainer       executes the training
     * @param fisher        executes EWC's Fisher passes
     * @param taskZeroCache task-0 states shared with the sweep's other runs of the same seed
     */
    public BaselineRun(RunConfig config, RunData data, TaskTrainer trainer, FisherEstimator fisher,
                       TaskZeroCache taskZeroCache) {
        if (!config.isBaseline() || config.baseline().kind() == Baseline.JOINT) {
            throw new IllegalArgumentException("run " + config.id() + " is not a finetune, ewc or feature-extraction"
                    + " baseline");
        }
        this.config = config;
        this.method = config.baseline();
        this.data = data;
        this.trainer = trainer;
        this.fisher = fisher;
        this.taskZeroCache = taskZeroCache;
    }

    /**
     * Runs every task and hands {@code checkpoints} one state, at the end: the finished run, which a resumed sweep
     * keeps and the evaluate job loads. An interrupted baseline starts again from task 0 when the sweep resumes
     * (to the same result): EWC's penalty memory, the past tasks' Fisher diagonals and anchors, is not part of a
     * checkpoint, so {@code resumeFrom} is never set for a baseline.
     */
    @Override
    public RunResult run(ProgressListener progress, TaskObserver observer, RunCheckpoint resumeFrom,
                         Consumer<RunCheckpoint> checkpoints) {
        if (resumeFrom != null) {
            throw new IllegalArgumentException("baseline run " + config.id() + " cannot resume from task "
                    + resumeFrom.tasksDone() + ": only whole baseline runs are saved");
        }
        MultiHeadModel[] last = new MultiHeadModel[1];
        RunResult result = runAll(progress, (t, model) -> {
            last[0] = model;
            observer.afterTask(t, model);
        });
        checkpoints.accept(RunCheckpoint.ofSharedTrunk(last[0], result));
        return result;
    }

    private RunResult runAll(ProgressListener progress, TaskObserver observer) {
        long start = System.nanoTime();
        long seed = config.seed();
        List<Task> tasks = TaskStreams.build(config.tasks(), seed, data);
        NetworkFactory factory = new NetworkFactory(config.model(), data.trainRecords().width(),
                config.training().learningRate());
        int count = tasks.size();
        double[][] accuracy = new double[count][count];
        for (double[] row : accuracy) {
            Arrays.fill(row, Double.NaN);
        }
        List<TaskRecord> records = new ArrayList<>();
        MultiHeadModel model = null;
        EwcMemory ewc = null;
        for (int t = 0; t < count; t++) {
            Task task = tasks.get(t);
            Map<Phase, Long> millis = new EnumMap<>(Phase.class);
            MultiLayerNetwork net = factory.create(task.numClasses(), Seeds.derive(seed, "init", t));
            if (model == null) {
                model = MultiHeadModel.startShared(factory, net);
                ewc = method.kind() == Baseline.EWC ? new EwcMemory(model.layout().trunkLength(), method) : null;
            } else {
                model.loadTrunkInto(net);
            }
            boolean needsFisher = ewc != null && t < count - 1;
            Optional<TaskZeroState> reused = t == 0 && taskZeroCache != TaskZeroCache.NONE
                    ? taskZeroCache.find(TaskZeroKey.of(config)) : Optional.empty();
            double[] fisherMean = null;
            if (reused.isPresent()) {
                reused.get().restoreInto(net);
                fisherMean = reused.get().fisherMean();
                millis.put(Phase.TRAIN, 0L);
                millis.put(Phase.FISHER, 0L);
            } else {
                progress.onPhase(t, Phase.TRAIN);
                if (ewc != null && t > 0) {
                    net.setListeners(ewc.penalty());
                }
                float[] initial = RunChecks.params(net);
                boolean[] trainable = new boolean[initial.length];
                // Feature extraction trains the trunk on task 0 only; every task trains its own head.
                int firstTrainable = method.kind() == Baseline.FEATURE_EXTRACTION && t > 0
                        ? model.layout().trunkLength() : 0;
                Arrays.fill(trainable, firstTrainable, initial.length, true);
                ParameterMask mask = ParameterMask.of(initial, trainable);
                final int taskIndex = t;
                timed(millis, Phase.TRAIN, () -> trainer.train(net, task, mask, config.training().epochs(),
                        Seeds.derive(seed, "shuffle", taskIndex, 0)));
                net.setListeners();
                RunChecks.requireFiniteLoss(net, task, trainer, config.training().batchSize(), config.id(), t,
                        Phase.TRAIN);
                RunChecks.requireFinite(RunChecks.params(net), config.id(), t, Phase.TRAIN,
                        "the trained parameters hold");
                if (needsFisher) {
                    progress.onPhase(t, Phase.FISHER);
                    long fisherStart = System.nanoTime();
                    fisherMean = fisher.estimate(net, task, config.fisherLabels(),
                            Seeds.derive(seed, "fisher-labels", t)).mean();
                    millis.put(Phase.FISHER, (System.nanoTime() - fisherStart) / 1_000_000);
                    RunChecks.requireFinite(fisherMean, config.id(), t, Phase.FISHER, "the Fisher diagonal holds");
                    if (t == 0 && taskZeroCache != TaskZeroCache.NONE) {
                        // The same state a pruned run of this seed computes first: offer it to them.
                        taskZeroCache.store(TaskZeroKey.of(config), TaskZeroState.capture(net, fisherMean,
                                millis.get(Phase.TRAIN), millis.get(Phase.FISHER)));
                    }
                }
            }
            if (needsFisher) {
                ewc.add(fisherMean, RunChecks.params(net));
            }
            model.finishTask(net, task.numClasses());

            progress.onPhase(t, Phase.EVALUATE);
            long evaluateStart = System.nanoTime();
            for (int j = 0; j <= t; j++) {
                accuracy[t][j] = RunChecks.accuracy(model, tasks.get(j), j, data.test());
            }
            millis.put(Phase.EVALUATE, (System.nanoTime() - evaluateStart) / 1_000_000);
            records.add(new TaskRecord(t, Double.NaN, Double.NaN, 0, Double.NaN, millis));
            observer.afterTask(t, model);
        }
        return new RunResult(config, new AccuracyMatrix(accuracy), records, (System.nanoTime() - start) / 1_000_000);
    }

    private static void timed(Map<Phase, Long> millis, Phase phase, Runnable work) {
        long start = System.nanoTime();
        work.run();
        millis.merge(phase, (System.nanoTime() - start) / 1_000_000, Long::sum);
    }

    /**
     * What EWC remembers of the tasks so far, in double precision: the curvature A and the anchor of the penalty's
     * single quadratic per trunk parameter (see {@link EwcPenalty}).
     */
    static final class EwcMemory {
        private final BaselineConfig method;
        private final double[] curvature;
        private final double[] weightedAnchors;
        private final double[] anchor;

        EwcMemory(int trunkLength, BaselineConfig method) {
            this.method = method;
            this.curvature = new double[trunkLength];
            this.weightedAnchors = new double[trunkLength];
            this.anchor = new double[trunkLength];
        }

        /** Adds a finished task: its Fisher diagonal and its trained parameters (both over the whole network). */
        void add(double[] fisherMean, float[] params) {
            for (int i = 0; i < curvature.length; i++) {
                double f = fisherMean[i];
                if (method.mode() == EwcMode.ONLINE) {
                    curvature[i] = method.gamma() * curvature[i] + f;
                    anchor[i] = params[i];
                } else {
                    curvature[i] += f;
                    weightedAnchors[i] += f * params[i];
                    // Where no task has any Fisher mass the penalty is 0 whatever the anchor: take the latest value.
                    anchor[i] = curvature[i] > 0 ? weightedAnchors[i] / curvature[i] : params[i];
                }
            }
        }

        /** The penalty of the tasks added so far. */
        EwcPenalty penalty() {
            return new EwcPenalty(method.lambda(), curvature, anchor);
        }
    }
}
