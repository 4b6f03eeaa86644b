package dev.fisherpacknet.jobs.spark;

import dev.fisherpacknet.core.train.ParameterMask;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * What every executor that trains one phase needs besides the network and the data: the phase's mask, and the
 * network's training listeners (the EWC penalty, two floats per trunk parameter), which must act on every gradient
 * wherever it is computed. Both travel once per phase as broadcasts, destroyed when the phase ends.
 *
 * @param mask      the phase's parameter mask
 * @param listeners the network's training listeners, or null if it has none
 */
record PhaseBroadcasts(Broadcast<ParameterMask> mask, Broadcast<List<TrainingListener>> listeners)
        implements AutoCloseable {

    /** Broadcasts {@code mask} and {@code net}'s listeners. */
    static PhaseBroadcasts of(JavaSparkContext sc, ParameterMask mask, MultiLayerNetwork net) {
        List<TrainingListener> listeners = new ArrayList<>(net.getListeners());
        return new PhaseBroadcasts(sc.broadcast(mask), listeners.isEmpty() ? null : sc.broadcast(listeners));
    }

    @Override
    public void close() {
        mask.destroy();
        if (listeners != null) {
            listeners.destroy();
        }
    }
}
