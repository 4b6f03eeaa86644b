package dev.fisherpacknet.jobs;

import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver network's training listeners on a parameter-averaging worker: DL4J ships the listeners it is given to
 * every worker with each averaging round, so this forwarder, a few bytes, goes instead, and the listeners themselves
 * (an EWC penalty holds two floats per trunk parameter) are fetched once per executor from a broadcast.
 */
final class BroadcastListeners implements TrainingListener, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<List<TrainingListener>> listeners;

    BroadcastListeners(Broadcast<List<TrainingListener>> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        listeners.value().forEach(l -> l.iterationDone(model, iteration, epoch));
    }

    @Override
    public void onEpochStart(Model model) {
        listeners.value().forEach(l -> l.onEpochStart(model));
    }

    @Override
    public void onEpochEnd(Model model) {
        listeners.value().forEach(l -> l.onEpochEnd(model));
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        listeners.value().forEach(l -> l.onForwardPass(model, activations));
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        listeners.value().forEach(l -> l.onForwardPass(model, activations));
    }

    @Override
    public void onGradientCalculation(Model model) {
        listeners.value().forEach(l -> l.onGradientCalculation(model));
    }

    @Override
    public void onBackwardPass(Model model) {
        listeners.value().forEach(l -> l.onBackwardPass(model));
    }
}
