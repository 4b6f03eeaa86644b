package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.TrainingExamples;
import dev.fisherpacknet.core.model.NativeThreads;
import dev.fisherpacknet.core.train.AveragedTrainer;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import dev.fisherpacknet.core.train.ParameterMask;
import dev.fisherpacknet.core.train.TaskTrainer;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Masked training by DL4J parameter averaging. The driver plans each epoch's minibatches exactly as
 * {@link LocalTaskTrainer} does and hands DL4J one averaging round at a time: worker i fits minibatches
 * slice i of the round ({@link AveragedTrainer#workerSlices}) in order, then the parameters and Adam's state are
 * averaged. The batches and their order are a function of the seed alone, and {@link AveragedTrainer} computes
 * the same procedure in one JVM: bit-identical with up to two workers (DL4J adds more workers' parameters in the
 * order they finish, and float addition of three or more terms depends on order). A {@link FreezeMaskHook} keeps
 * frozen parameters exact on the workers; the mask is
 * applied once more on the driver after each round, as averaging may round them. The network's training listeners
 * (the EWC penalty) run on every worker ({@link BroadcastListeners}).
 */
final class SparkTaskTrainer implements TaskTrainer {
    private final JavaSparkContext sc;
    private final Broadcast<ImageSet> baseTrain;
    private final int batchSize;
    private final int workers;
    private final int averagingFrequency;

    /**
     * @param sc                 the Spark context
     * @param baseTrain          the base training examples, broadcast once per sweep
     * @param batchSize          examples per minibatch on each worker
     * @param workers            parameter-averaging workers
     * @param averagingFrequency minibatches per worker between averagings
     */
    SparkTaskTrainer(JavaSparkContext sc, Broadcast<ImageSet> baseTrain, int batchSize, int workers,
                     int averagingFrequency) {
        this.sc = sc;
        this.baseTrain = baseTrain;
        this.batchSize = batchSize;
        this.workers = workers;
        this.averagingFrequency = averagingFrequency;
    }

    @Override
    public void train(MultiLayerNetwork net, TrainingExamples task, ParameterMask mask, int epochs, long shuffleSeed) {
        try (PhaseBroadcasts shared = PhaseBroadcasts.of(sc, mask, net)) {
            ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, batchSize)
                    .batchSizePerWorker(batchSize)
                    .averagingFrequency(averagingFrequency)
                    .saveUpdater(true)
                    .workerPrefetchNumBatches(0)
                    // Direct works with any master; Export needs a shared file system.
                    .rddTrainingApproach(RDDTrainingApproach.Direct)
                    // The driver already placed every minibatch on its worker; DL4J must not reshuffle.
                    .repartionData(Repartition.Never)
                    .storageLevel(null)
                    .rngSeed(shuffleSeed)
                    .collectTrainingStats(false)
                    .trainingHooks(new FreezeMaskHook(shared.mask()))
                    .build();
            if (shared.listeners() != null) {
                master.setListeners(List.of(new BroadcastListeners(shared.listeners())));
            }
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, master);
            BatchBuilder builder = new BatchBuilder(baseTrain, task);
            int perRound = workers * averagingFrequency;
            for (int epoch = 0; epoch < epochs; epoch++) {
                List<int[]> batches = Batches.shuffled(task.trainSize(), batchSize,
                        LocalTaskTrainer.epochSeed(shuffleSeed, epoch));
                for (int start = 0; start < batches.size(); start += perRound) {
                    List<int[]> round = batches.subList(start, Math.min(batches.size(), start + perRound));
                    // One partition per worker, cut exactly as AveragedTrainer cuts the round; the one short minibatch
                    // of an epoch is its last, so DL4J's re-batching of a partition never merges two minibatches.
                    List<List<int[]>> slices = AveragedTrainer.workerSlices(round, averagingFrequency);
                    JavaRDD<DataSet> data = sc.parallelize(slices, slices.size()).flatMap(builder);
                    sparkNet.fit(data);
                    mask.apply(net.params());
                }
            }
            mask.apply(net.params());
        }
    }

    /** Materialises a worker's minibatches on the executor from the broadcast base data and the task's transform. */
    private record BatchBuilder(Broadcast<ImageSet> base, TrainingExamples task) implements FlatMapFunction<List<int[]>, DataSet> {
        @Override
        public Iterator<DataSet> call(List<int[]> slice) {
            NativeThreads.pin();
            return slice.stream().map(positions -> task.trainBatch(base.value(), positions)).iterator();
        }
    }
}
