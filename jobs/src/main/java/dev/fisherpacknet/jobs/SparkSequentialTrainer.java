package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.TrainingExamples;
import dev.fisherpacknet.core.model.NativeThreads;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import dev.fisherpacknet.core.train.ParameterMask;
import dev.fisherpacknet.core.train.TaskTrainer;
import dev.fisherpacknet.core.train.TrainingState;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * The sequential training procedure in a data-parallel sweep: a whole phase (all its epochs) as one Spark task. The
 * executor rebuilds the network from its configuration and {@link TrainingState}, trains it with
 * {@link LocalTaskTrainer} on the broadcast base data, and sends the state back, which the driver writes into its
 * network. It is the code a config-parallel run trains with, on the same bits, so the results are identical; one
 * replica has nothing to spread, and the work runs on an executor rather than on the driver. The network's training
 * listeners (the EWC penalty) travel as a broadcast.
 */
final class SparkSequentialTrainer implements TaskTrainer {
    private final JavaSparkContext sc;
    private final Broadcast<ImageSet> baseTrain;
    private final int batchSize;

    /**
     * @param sc        the Spark context
     * @param baseTrain the base training examples, broadcast once per sweep
     * @param batchSize examples per minibatch
     */
    SparkSequentialTrainer(JavaSparkContext sc, Broadcast<ImageSet> baseTrain, int batchSize) {
        this.sc = sc;
        this.baseTrain = baseTrain;
        this.batchSize = batchSize;
    }

    @Override
    public void train(MultiLayerNetwork net, TrainingExamples task, ParameterMask mask, int epochs, long shuffleSeed) {
        try (PhaseBroadcasts shared = PhaseBroadcasts.of(sc, mask, net)) {
            PhaseInput input = new PhaseInput(net.getLayerWiseConfigurations().toJson(), TrainingState.capture(net),
                    task, epochs, shuffleSeed);
            TrainingState trained = sc.parallelize(List.of(input), 1)
                    .map(new TrainPhase(baseTrain, batchSize, shared.mask(), shared.listeners()))
                    .collect().get(0);
            trained.restoreInto(net);
        }
    }

    /** What one phase starts from: the network's configuration (JSON) and state, the task, its epochs and seed. */
    private record PhaseInput(String configuration, TrainingState start, TrainingExamples task, int epochs,
                              long shuffleSeed) implements Serializable {
    }

    /** One phase of sequential training on an executor. */
    private record TrainPhase(Broadcast<ImageSet> base, int batchSize, Broadcast<ParameterMask> mask,
                              Broadcast<List<TrainingListener>> listeners)
            implements Function<PhaseInput, TrainingState> {
        @Override
        public TrainingState call(PhaseInput input) {
            NativeThreads.pin();
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(input.configuration()));
            net.init();
            input.start().restoreInto(net);
            if (listeners != null) {
                net.setListeners(listeners.value());
            }
            new LocalTaskTrainer(base.value(), batchSize).train(net, input.task(), mask.value(), input.epochs(),
                    input.shuffleSeed());
            return TrainingState.capture(net);
        }
    }
}
