package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.Datasets;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.LabelledRecords;
import dev.fisherpacknet.core.data.RunData;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.fisher.FisherDiagonal;
import dev.fisherpacknet.core.fisher.FisherEstimator;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.mask.Ownership;
import dev.fisherpacknet.core.mask.Scores;
import dev.fisherpacknet.core.mask.TopKSelector;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.model.ParamLayout;
import dev.fisherpacknet.core.train.OptimizerReset;
import dev.fisherpacknet.core.train.ParameterMask;
import dev.fisherpacknet.core.train.TaskTrainer;
import dev.fisherpacknet.core.train.TrainingState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One continual-learning run with ownership (docs/PROTOCOL.md): for each task, train the free weights and a new
 * head, score them, keep the top fraction 1 - p, release the rest to zero, retrain the kept ones (with a fresh Adam
 * unless {@code training.optimizer-reset = task}), own them, and evaluate every task so far. Where the training and the
 * Fisher pass execute is up to the given
 * {@link TaskTrainer} and {@link FisherEstimator}; everything else runs here, on the driver.
 */
public final class ContinualRun implements SweepRun {
    /** Weights of the first trunk matrix sampled at task 0 for the Fisher-vs-magnitude plot. */

    private final RunConfig config;
    private final RunData data;
    private final LabelledRecords train;
    private final ImageSet test;
    private final TaskTrainer trainer;
    private final FisherEstimator fisher;
    private final TaskZeroCache taskZeroCache;
    private final SelectionObserver diagnostics;

    /**
     * @param config  the grid point
     * @param train   base training examples
     * @param test    base test examples
     * @param trainer executes masked training
     * @param fisher  executes the Fisher pass
     */
    public ContinualRun(RunConfig config, ImageSet train, ImageSet test, TaskTrainer trainer, FisherEstimator fisher) {
        this(config, new Splits.TrainTest(train, test), trainer, fisher);
    }

    /**
     * A run over {@code data} as {@link Datasets#load} returns it, which the files stream needs (it makes one
     * task of each CSV file pair).
     *
     * @param config  the grid point
     * @param data    base training and test examples
     * @param trainer executes masked training
     * @param fisher  executes the Fisher pass
     */
    public ContinualRun(RunConfig config, RunData data, TaskTrainer trainer, FisherEstimator fisher) {
        this(config, data, trainer, fisher, TaskZeroCache.NONE);
    }

    /**
     * A run that takes task 0's trained state from {@code taskZeroCache} when it holds one for this run's
     * {@link TaskZeroKey}, and otherwise computes it and offers it to the cache.
     *
     * @param config        the grid point; with resolved Spark settings if a cache is used
     * @param data          base training and test examples
     * @param trainer       executes masked training
     * @param fisher        executes the Fisher pass
     * @param taskZeroCache task-0 states shared between grid points
     */
    public ContinualRun(RunConfig config, RunData data, TaskTrainer trainer, FisherEstimator fisher,
                        TaskZeroCache taskZeroCache) {
        this(config, data, trainer, fisher, taskZeroCache, new SelectionDiagnostics(config));
    }

    /**
     * A run whose selections {@code diagnostics} observes for the report ({@link SelectionObserver#NONE} to record
     * none); the run's results do not depend on it.
     *
     * @param config        the grid point; with resolved Spark settings if a cache is used
     * @param data          base training and test examples
     * @param trainer       executes masked training
     * @param fisher        executes the Fisher pass
     * @param taskZeroCache task-0 states shared between grid points
     * @param diagnostics   sees every selection
     */
    public ContinualRun(RunConfig config, RunData data, TaskTrainer trainer, FisherEstimator fisher,
                        TaskZeroCache taskZeroCache, SelectionObserver diagnostics) {
        this.diagnostics = diagnostics;
        this.taskZeroCache = taskZeroCache;
        this.config = config;
        this.data = data;
        this.train = data.trainRecords();
        this.test = data.test();
        this.trainer = trainer;
        this.fisher = fisher;
    }

    /**
     * Runs the tasks after those {@code resumeFrom} has finished (every task if it is null) and hands the state
     * after each task to {@code checkpoints}; the result equals, timings aside, that of a run that never stopped.
     *
     * @param progress    told of every phase
     * @param observer    sees the model after each task
     * @param resumeFrom  the state to go on from, as an earlier {@code checkpoints} received it for this run; or
     *                    null to start afresh
     * @param checkpoints receives the state after each finished task
     * @throws DivergenceException if the loss, the parameters or the Fisher diagonal hold NaN or infinite values
     */
    @Override
    public RunResult run(ProgressListener progress, TaskObserver observer, RunCheckpoint resumeFrom,
                         Consumer<RunCheckpoint> checkpoints) {
        long start = System.nanoTime();
        long seed = config.seed();
        List<Task> tasks = TaskStreams.build(config.tasks(), seed, data);
        NetworkFactory factory = new NetworkFactory(config.model(), train.width(), config.training().learningRate());
        int count = tasks.size();
        double[][] accuracy = new double[count][count];
        for (double[] row : accuracy) {
            Arrays.fill(row, Double.NaN);
        }
        List<TaskRecord> records = new ArrayList<>();
        MultiHeadModel model = null;
        long millisBefore = 0;
        int first = 0;
        if (resumeFrom != null) {
            if (resumeFrom.tasksDone() > count) {
                throw new IllegalArgumentException("a checkpoint after " + resumeFrom.tasksDone() + " tasks for run "
                        + config.id() + " of " + count + " tasks");
            }
            model = resumeFrom.restore(factory);
            double[][] rows = resumeFrom.accuracy();
            for (int t = 0; t < rows.length; t++) {
                System.arraycopy(rows[t], 0, accuracy[t], 0, rows[t].length);
            }
            records.addAll(resumeFrom.records());
            millisBefore = resumeFrom.millis();
            first = resumeFrom.tasksDone();
        }
        for (int taskIndex = first; taskIndex < count; taskIndex++) {
            final int t = taskIndex;
            Task task = tasks.get(t);
            Map<Phase, Long> millis = new EnumMap<>(Phase.class);
            MultiLayerNetwork net = factory.create(task.numClasses(), Seeds.derive(seed, "init", t));
            if (model == null) {
                model = MultiHeadModel.start(factory, net);
            } else {
                model.loadTrunkInto(net);
            }
            ParamLayout layout = model.layout();
            Ownership ownership = model.ownership();
            int trunkLength = layout.trunkLength();
            int trunkWeights = layout.trunkWeightCount();
            boolean[] freeAtStart = new boolean[trunkLength];
            for (int i = 0; i < trunkLength; i++) {
                freeAtStart[i] = ownership.isFree(i);
            }
            int freeWeights = countWeights(layout, freeAtStart);

            double[] fisherMean;
            Optional<TaskZeroState> reused = t == 0 && taskZeroCache != TaskZeroCache.NONE
                    ? taskZeroCache.find(taskZeroKey()) : Optional.empty();
            if (reused.isPresent()) {
                // Task 0's training and Fisher pass do not depend on the pruning settings: take them from the cache.
                reused.get().restoreInto(net);
                fisherMean = reused.get().fisherMean();
                millis.put(Phase.TRAIN, 0L);
                millis.put(Phase.FISHER, 0L);
            } else {
                fisherMean = trainAndScore(net, task, t, freeAtStart, millis, progress);
                if (t == 0 && taskZeroCache != TaskZeroCache.NONE) {
                    taskZeroCache.store(taskZeroKey(), TaskZeroState.capture(net, fisherMean,
                            millis.get(Phase.TRAIN), millis.get(Phase.FISHER)));
                }
            }

            progress.onPhase(t, Phase.SELECT);
            float[] trained = RunChecks.params(net);
            RunChecks.requireFinite(trained, config.id(), t, Phase.TRAIN, "the trained parameters hold");
            final MultiHeadModel current = model;
            // The report's observer looks on outside the timed selection.
            diagnostics.beforeSelection(current, t, trained, fisherMean);
            double massKept = timed(millis, Phase.SELECT, () -> prune(current, t, trained, fisherMean, freeAtStart));
            SelectionObserver.Diagnostics seen = diagnostics.afterSelection(current, t);

            progress.onPhase(t, Phase.RETRAIN);
            boolean[] retrainable = new boolean[trained.length];
            for (int i = 0; i < trained.length; i++) {
                retrainable[i] = i >= trunkLength || ownership.owner(i) == t;
            }
            net.setParams(Nd4j.create(trained, new long[] {1, trained.length}, DataType.FLOAT));
            ParameterMask retrainMask = ParameterMask.of(trained, retrainable);
            if (config.training().optimizerReset() == OptimizerReset.PHASE) {
                TrainingState.resetOptimizer(net);
            }
            timed(millis, Phase.RETRAIN, () -> {
                trainer.train(net, task, retrainMask, config.training().retrainEpochs(),
                        Seeds.derive(seed, "shuffle", t, 1));
                return null;
            });
            RunChecks.requireFiniteLoss(net, task, trainer, config.training().batchSize(), config.id(), t,
                    Phase.RETRAIN);
            RunChecks.requireFinite(RunChecks.params(net), config.id(), t, Phase.RETRAIN,
                    "the retrained parameters hold");
            model.finishTask(net, task.numClasses());

            progress.onPhase(t, Phase.EVALUATE);
            timed(millis, Phase.EVALUATE, () -> {
                for (int j = 0; j <= t; j++) {
                    accuracy[t][j] = RunChecks.accuracy(current, tasks.get(j), j, test);
                }
                return null;
            });
            int kept = ownership.weightsOwnedBy(layout, t);
            records.add(new TaskRecord(t, freeWeights / (double) trunkWeights, kept / (double) trunkWeights, kept,
                    massKept, millis, seen.agreements(), seen.sample()));
            observer.afterTask(t, model);
            checkpoints.accept(RunCheckpoint.capture(model, accuracy, records,
                    millisBefore + (System.nanoTime() - start) / 1_000_000));
        }
        return new RunResult(config, new AccuracyMatrix(accuracy), records,
                millisBefore + (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Trains task 0 densely and computes its Fisher diagonal, the part of a run that every grid point sharing its
     * {@link TaskZeroKey} has in common, and returns that state without going on.
     */
    public TaskZeroState prepareTaskZero() {
        List<Task> tasks = TaskStreams.build(config.tasks(), config.seed(), data);
        NetworkFactory factory = new NetworkFactory(config.model(), train.width(), config.training().learningRate());
        MultiLayerNetwork net = factory.create(tasks.get(0).numClasses(), Seeds.derive(config.seed(), "init", 0));
        boolean[] allFree = new boolean[ParamLayout.of(net).trunkLength()];
        Arrays.fill(allFree, true);
        Map<Phase, Long> millis = new EnumMap<>(Phase.class);
        double[] fisherMean = trainAndScore(net, tasks.get(0), 0, allFree, millis, ProgressListener.NONE);
        return TaskZeroState.capture(net, fisherMean, millis.get(Phase.TRAIN), millis.get(Phase.FISHER));
    }

    private TaskZeroKey taskZeroKey() {
        return TaskZeroKey.of(config);
    }

    /** Trains the weights free at the task's start and returns the Fisher diagonal of the trained network. */
    private double[] trainAndScore(MultiLayerNetwork net, Task task, int t, boolean[] freeAtStart,
                                   Map<Phase, Long> millis, ProgressListener progress) {
        long seed = config.seed();
        progress.onPhase(t, Phase.TRAIN);
        float[] initial = RunChecks.params(net);
        ParameterMask trainMask = ParameterMask.of(initial, trainableOf(freeAtStart, initial.length));
        timed(millis, Phase.TRAIN, () -> {
            trainer.train(net, task, trainMask, config.training().epochs(), Seeds.derive(seed, "shuffle", t, 0));
            return null;
        });
        RunChecks.requireFiniteLoss(net, task, trainer, config.training().batchSize(), config.id(), t, Phase.TRAIN);

        progress.onPhase(t, Phase.FISHER);
        double[] fisherMean = timed(millis, Phase.FISHER, () -> {
            FisherDiagonal diagonal = fisher.estimate(net, task, config.fisherLabels(),
                    Seeds.derive(seed, "fisher-labels", t));
            return diagonal.mean();
        });
        RunChecks.requireFinite(fisherMean, config.id(), t, Phase.FISHER, "the Fisher diagonal holds");
        return fisherMean;
    }

    /**
     * Keeps the top-scored free weights for task t, zeroes the released ones in {@code trained} and returns the
     * Fisher mass kept.
     */
    private double prune(MultiHeadModel model, int t, float[] trained, double[] fisherMean, boolean[] freeAtStart) {
        ParamLayout layout = model.layout();
        int trunkLength = layout.trunkLength();
        float[] trunk = Arrays.copyOf(trained, trunkLength);
        float[] scores = Scores.compute(config.prune().score(), trunk, Arrays.copyOf(fisherMean, trunkLength),
                Seeds.derive(config.seed(), "random-score", t));
        int[] kept = TopKSelector.select(scores, model.ownership(), layout, config.prune().ratio(),
                config.prune().scope());
        model.ownership().assign(kept, t);
        if (t == 0) {
            model.ownership().assignBiases(layout, 0);
        }
        double massFree = 0;
        double massKept = 0;
        for (ParamLayout.Layer layer : layout.layers().subList(0, layout.trunkLayerCount())) {
            for (int i = layer.weightOffset(); i < layer.weightOffset() + layer.weightCount(); i++) {
                if (freeAtStart[i]) {
                    massFree += fisherMean[i];
                    if (model.ownership().owner(i) == t) {
                        massKept += fisherMean[i];
                    } else {
                        trained[i] = 0f;
                    }
                }
            }
        }
        return massFree > 0 ? massKept / massFree : Double.NaN;
    }

    private static boolean[] trainableOf(boolean[] freeTrunk, int length) {
        boolean[] trainable = new boolean[length];
        Arrays.fill(trainable, true);
        System.arraycopy(freeTrunk, 0, trainable, 0, freeTrunk.length);
        return trainable;
    }

    private static int countWeights(ParamLayout layout, boolean[] flags) {
        int n = 0;
        for (ParamLayout.Layer layer : layout.layers().subList(0, layout.trunkLayerCount())) {
            for (int i = layer.weightOffset(); i < layer.weightOffset() + layer.weightCount(); i++) {
                if (flags[i]) {
                    n++;
                }
            }
        }
        return n;
    }

    private static <T> T timed(Map<Phase, Long> millis, Phase phase, Supplier<T> work) {
        long start = System.nanoTime();
        T result = work.get();
        millis.merge(phase, (System.nanoTime() - start) / 1_000_000, Long::sum);
        return result;
    }
}
