package dev.fisherpacknet.core.mask;

import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.model.ParamLayout;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The continual learner's state between tasks: the shared trunk, one head per finished task, and who owns each
 * trunk parameter. Evaluating task j uses head j and the trunk weights owned by tasks 0..j, every other trunk
 * weight read as zero (PackNet's evaluation). A model for a baseline ({@link #startShared}) has no ownership:
 * every task is evaluated with its head and the whole current trunk.
 */
public final class MultiHeadModel {
    private final NetworkFactory factory;
    private final ParamLayout layout;
    private final float[] trunk;
    private final List<float[]> heads;
    private final List<Integer> headClasses;
    private final Ownership ownership;
    private final boolean sharedTrunk;

    private MultiHeadModel(NetworkFactory factory, ParamLayout layout, float[] trunk, List<float[]> heads,
                           List<Integer> headClasses, Ownership ownership, boolean sharedTrunk) {
        this.sharedTrunk = sharedTrunk;
        this.factory = factory;
        this.layout = layout;
        this.trunk = trunk;
        this.heads = heads;
        this.headClasses = headClasses;
        this.ownership = ownership;
    }

    /** A model with no task learnt yet; its trunk is taken from {@code initial}, a freshly created network. */
    public static MultiHeadModel start(NetworkFactory factory, MultiLayerNetwork initial) {
        ParamLayout layout = ParamLayout.of(initial);
        float[] all = initial.params().dup().data().asFloat();
        float[] trunk = java.util.Arrays.copyOf(all, layout.trunkLength());
        return new MultiHeadModel(factory, layout, trunk, new ArrayList<>(), new ArrayList<>(),
                new Ownership(layout.trunkLength()), false);
    }

    /**
     * A model whose tasks share the whole trunk, with no ownership (the baselines: finetune, EWC, joint): task j is
     * evaluated with head j and the trunk as the last finished task left it. Its ownership stays all free.
     */
    public static MultiHeadModel startShared(NetworkFactory factory, MultiLayerNetwork initial) {
        MultiHeadModel owned = start(factory, initial);
        return new MultiHeadModel(factory, owned.layout, owned.trunk, owned.heads, owned.headClasses,
                owned.ownership, true);
    }

    /** Whether every task reads the whole trunk (a baseline) rather than the weights owned by tasks 0..j. */
    public boolean sharesTrunk() {
        return sharedTrunk;
    }

    /**
     * A model in the state a checkpoint recorded: {@code trunk}, one head per finished task with its class count,
     * and the owner of every trunk parameter. The arrays are copied.
     *
     * @throws IllegalArgumentException if the sizes do not fit {@code factory}'s networks
     */
    public static MultiHeadModel restore(NetworkFactory factory, float[] trunk, List<float[]> heads,
                                         List<Integer> headClasses, int[] owners) {
        if (heads.isEmpty() || heads.size() != headClasses.size()) {
            throw new IllegalArgumentException(heads.size() + " heads with " + headClasses.size() + " class counts");
        }
        ParamLayout layout = ParamLayout.of(factory.create(headClasses.get(0), 0L));
        if (trunk.length != layout.trunkLength() || owners.length != layout.trunkLength()) {
            throw new IllegalArgumentException("the model's trunk has " + layout.trunkLength()
                    + " parameters, the state " + trunk.length + " values and " + owners.length + " owners");
        }
        List<float[]> headCopies = new ArrayList<>();
        for (int j = 0; j < heads.size(); j++) {
            int expected = (layout.head().nIn() + 1) * headClasses.get(j);
            if (heads.get(j).length != expected) {
                throw new IllegalArgumentException("head " + j + " has " + heads.get(j).length + " values, a "
                        + headClasses.get(j) + "-way head has " + expected);
            }
            headCopies.add(heads.get(j).clone());
        }
        return new MultiHeadModel(factory, layout, trunk.clone(), headCopies, new ArrayList<>(headClasses),
                Ownership.of(owners), false);
    }

    /** The parameter layout of every task network. */
    public ParamLayout layout() {
        return layout;
    }

    /** Who owns each trunk parameter; the run updates it as tasks keep weights. */
    public Ownership ownership() {
        return ownership;
    }

    /** Number of finished tasks (heads). */
    public int taskCount() {
        return heads.size();
    }

    /** A copy of the current trunk parameters. */
    public float[] trunk() {
        return trunk.clone();
    }

    /** A copy of task {@code j}'s head parameters. */
    public float[] head(int j) {
        return heads.get(j).clone();
    }

    /** Number of classes of task {@code j}'s head. */
    public int headClasses(int j) {
        return headClasses.get(j);
    }

    /** Loads the current trunk into the leading span of {@code net}'s parameters, leaving its head as it is. */
    public void loadTrunkInto(MultiLayerNetwork net) {
        float[] all = net.params().dup().data().asFloat();
        System.arraycopy(trunk, 0, all, 0, trunk.length);
        net.setParams(Nd4j.create(all, new long[] {1, all.length}, DataType.FLOAT));
    }

    /** Records a finished task: {@code net}'s trunk becomes the shared trunk and its head becomes head t. */
    public void finishTask(MultiLayerNetwork net, int numClasses) {
        float[] all = net.params().dup().data().asFloat();
        System.arraycopy(all, 0, trunk, 0, trunk.length);
        heads.add(java.util.Arrays.copyOfRange(all, trunk.length, all.length));
        headClasses.add(numClasses);
    }

    /**
     * The network that evaluates task {@code j}: head j, trunk weights owned by tasks 0..j, all others zero (with a
     * shared trunk: the whole trunk).
     */
    public MultiLayerNetwork evaluationNetwork(int j) {
        float[] params = new float[trunk.length + heads.get(j).length];
        for (int i = 0; i < trunk.length; i++) {
            int owner = ownership.owner(i);
            params[i] = sharedTrunk || owner != Ownership.FREE && owner <= j ? trunk[i] : 0f;
        }
        System.arraycopy(heads.get(j), 0, params, trunk.length, heads.get(j).length);
        MultiLayerNetwork net = factory.create(headClasses.get(j), 0L);
        net.setParams(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT));
        return net;
    }

    /** Predicted classes of task {@code j} for {@code features}. */
    public int[] predict(int j, INDArray features) {
        return evaluationNetwork(j).output(features, false).argMax(1).toIntVector();
    }

    /** The fraction of {@code features}' examples whose task-{@code j} prediction equals {@code truth}. */
    public double accuracy(int j, INDArray features, int[] truth) {
        int[] predicted = predict(j, features);
        int correct = 0;
        for (int n = 0; n < truth.length; n++) {
            if (predicted[n] == truth[n]) {
                correct++;
            }
        }
        return correct / (double) truth.length;
    }
}
