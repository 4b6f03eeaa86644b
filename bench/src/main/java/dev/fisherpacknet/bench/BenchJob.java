package dev.fisherpacknet.bench;

import dev.fisherpacknet.core.FisherPackNetException;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.DataConfig;
import dev.fisherpacknet.core.data.Datasets;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.fisher.FisherAccumulator;
import dev.fisherpacknet.core.fisher.LabelMode;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.model.NativeThreads;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.train.AveragedTrainer;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import dev.fisherpacknet.core.train.ParameterMask;
import dev.fisherpacknet.core.train.TrainingStep;
import dev.fisherpacknet.jobs.spark.KryoRegistration;
import dev.fisherpacknet.jobs.spark.ShardTrainer;
import dev.fisherpacknet.jobs.spark.SparkFisherEstimator;
import dev.fisherpacknet.jobs.spark.TrainShards;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The benchmarks of BENCHMARKS.md: throughputs measured one after the other in one JVM and reported with their
 * ratios, which is what stays meaningful on a shared, noisy machine. Each figure is the median of several timed
 * blocks after a warm-up. Sections: {@code kernels} (OpenBLAS's cblas_sgemm of the step's shapes vs DL4J's fit and
 * the fused {@link TrainingStep}, 1 and 2 native threads), {@code fisher} (exact per-example Fisher vs a training step
 * vs a per-example loop),
 * {@code spark} (data-parallel training and Fisher on local[2] vs one JVM, and config-parallel training),
 * {@code serializer} (the same data-parallel training and Fisher under Spark's Java serializer and under Kryo with
 * {@link KryoRegistration}), {@code scaling} (Fashion-MNIST's 60,000 images on local[1] vs local[2]).
 *
 * <p>Usage: {@code BenchJob [--only kernels,fisher,spark,serializer,scaling] [--out DIR]}; the model and data are those
 * of conf/permuted-mnist.conf (P1) and conf/permuted-fashion.conf (P2).
 */
public final class BenchJob {
    private static final List<String> SECTIONS = List.of("kernels", "fisher", "spark", "serializer",
            "data-parallel");
    private static final int BLOCKS = 5;

    private final PrintStream out;
    private final List<String> report = new ArrayList<>();

    private BenchJob(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        Set<String> only = new LinkedHashSet<>(SECTIONS);
        Path outDir = Path.of("results", "bench");
        Path confDir = Path.of("conf");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--only" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                case "--out" -> outDir = Path.of(args[++i]);
                case "--conf-dir" -> confDir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: BenchJob [--only " + String.join(",", SECTIONS)
                            + "] [--out DIR] [--conf-dir DIR]");
                    System.exit(2);
                }
            }
        }
        if (!SECTIONS.containsAll(only)) {
            System.err.println("error: --only takes sections among " + SECTIONS + ", got " + only);
            System.exit(2);
        }
        BenchJob bench = new BenchJob(System.out);
        try {
            bench.run(only, confDir);
        } catch (FisherPackNetException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        Files.createDirectories(outDir);
        Path file = outDir.resolve("bench.md");
        Files.writeString(file, String.join("\n", bench.report) + "\n");
        System.out.println("\nWritten to " + file.toAbsolutePath());
        System.exit(0);
    }

    private void run(Set<String> sections, Path confDir) {
        SweepConfig p1 = ConfigLoader.load(confDir.resolve("permuted-mnist.conf"), List.of());
        RunConfig run = p1.runs().get(0);
        Splits.TrainTest mnist = Datasets.load(p1.data());
        Task task = TaskStreams.build(run.tasks(), run.seed(), mnist).get(1);
        NetworkFactory factory = new NetworkFactory(run.model(), mnist.train().width(),
                run.training().learningRate());
        int batch = run.training().batchSize();
        line("# fisher-packnet benchmarks");
        line("");
        line(String.format(Locale.ROOT, "Model %d-%s-%d, batch %d, float32; %d cores; P1 task 1 (%d examples).",
                mnist.train().width(), run.model().hidden().stream().map(String::valueOf)
                        .reduce((a, b) -> a + "-" + b).orElse(""), 10, batch,
                Runtime.getRuntime().availableProcessors(), task.trainSize()));
        if (sections.contains("kernels") || sections.contains("fisher")) {
            kernelsAndFisher(sections, factory, mnist.train(), task, batch);
        }
        if (sections.contains("spark")) {
            spark(factory, mnist.train(), task, run);
        }
        if (sections.contains("serializer")) {
            serializer(factory, mnist.train(), task, run);
        }
        if (sections.contains("data-parallel")) {
            SweepConfig p2 = ConfigLoader.load(confDir.resolve("permuted-fashion.conf"), List.of());
            RunConfig p2run = p2.runs().get(0);
            Splits.TrainTest fashion = Datasets.load(p2.data());
            Task fashionTask = TaskStreams.build(p2run.tasks(), p2run.seed(), fashion).get(1);
            dataParallel(new NetworkFactory(p2run.model(), fashion.train().width(), p2run.training().learningRate()),
                    p2.data(), fashion, fashionTask, p2run);
        }
    }

    // ---- kernels and Fisher, one JVM ----

    private void kernelsAndFisher(Set<String> sections, NetworkFactory factory, ImageSet base, Task task,
                                  int batch) {
        MultiLayerNetwork net = factory.create(10, 1);
        List<DataSet> batches = new ArrayList<>();
        for (int[] positions : Batches.sequential(task.trainSize(), batch).subList(0, 16)) {
            batches.add(task.trainBatch(base, positions));
        }
        long[][] shapes = stepGemmShapes(net, batch);
        // The fused step skips the first layer's input gradient (the last of the 9 shapes' first-layer triple).
        long[][] fusedShapes = Arrays.stream(shapes).filter(s -> s != shapes[2]).toArray(long[][]::new);
        double stepFlops = flops(shapes);
        if (sections.contains("kernels")) {
            line("");
            line("## Kernels: one training step against the matrix products it needs");
            line("");
            line(String.format(Locale.ROOT, "The 9 matrix products of one step (forward, weight gradients, input "
                    + "gradients of every layer, %.0f MFLOP) called through OpenBLAS's `cblas_sgemm` itself, the "
                    + "ceiling; the 8 of them the fused step computes (%.0f MFLOP: no input gradient for the first "
                    + "layer); then three steps on the same minibatches, each followed by the mask: DL4J's `fit` with "
                    + "ND4J's Adam (the step before the fused one), `fit` with FusedAdam, and the fused step "
                    + "(`TrainingStep`). Efficiency: the time of the 9 products over the time of a step, the step "
                    + "credited with the 9 products' work.", stepFlops / 1e6, flops(fusedShapes) / 1e6));
            line("");
            line("| native threads | cblas_sgemm, 9 products, GFLOP/s | 8 products, GFLOP/s"
                    + " | fit + ND4J Adam, examples/s "
                    + "| fit + FusedAdam, examples/s | fused step, examples/s | fused step vs fit + ND4J Adam "
                    + "| fused step efficiency vs sgemm | fit + ND4J Adam efficiency |");
            line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        }
        for (int threads = 1; threads <= 2; threads++) {
            NativeThreads.pin(threads);
            openblas_nolapack.blas_set_num_threads(threads);
            double[] seconds = interleaved(blasProducts(shapes), blasProducts(fusedShapes),
                    fitStep(net, batches, new org.nd4j.linalg.learning.config.Adam(
                            factory.learningRate())), fitStep(net, batches, null), fusedStep(net, batches));
            if (sections.contains("kernels")) {
                line(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.0f | %.0f | %.0f | **%.2fx** | **%.0f %%** "
                                + "| %.0f %% |", threads, stepFlops / seconds[0] / 1e9,
                        flops(fusedShapes) / seconds[1] / 1e9, batch / seconds[2], batch / seconds[3],
                        batch / seconds[4], seconds[2] / seconds[4], 100 * seconds[0] / seconds[4],
                        100 * seconds[0] / seconds[2]));
            }
        }
        if (sections.contains("fisher")) {
            NativeThreads.pin(1);
            fisher(net, batches, base, task);
        }
        NativeThreads.pin();
    }

    /** (m, k, n) of each matrix product in one dense training step: forward, weight gradients, input gradients. */
    private static long[][] stepGemmShapes(MultiLayerNetwork net, int batch) {
        List<long[]> shapes = new ArrayList<>();
        for (int l = 0; l < net.getnLayers(); l++) {
            long[] w = net.getLayer(l).getParam("W").shape();
            shapes.add(new long[] {batch, w[0], w[1]});
            shapes.add(new long[] {w[0], batch, w[1]});
            shapes.add(new long[] {batch, w[1], w[0]});
        }
        return shapes.toArray(new long[0][]);
    }

    private static double flops(long[][] shapes) {
        return Arrays.stream(shapes).mapToDouble(s -> 2.0 * s[0] * s[1] * s[2]).sum();
    }

    /**
     * The products of {@code shapes} through OpenBLAS's {@code cblas_sgemm}, row-major, into preallocated outputs:
     * the library ND4J calls, without ND4J.
     */
    private static Runnable blasProducts(long[][] shapes) {
        Loader.load(openblas_nolapack.class);
        FloatPointer[][] operands = new FloatPointer[shapes.length][];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < shapes.length; i++) {
            long[] s = shapes[i];
            FloatPointer a = randomPointer(random, s[0] * s[1]);
            FloatPointer b = randomPointer(random, s[1] * s[2]);
            operands[i] = new FloatPointer[] {a, b, new FloatPointer(s[0] * s[2])};
        }
        return () -> {
            for (int i = 0; i < shapes.length; i++) {
                int m = (int) shapes[i][0];
                int k = (int) shapes[i][1];
                int n = (int) shapes[i][2];
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                        openblas_nolapack.CblasNoTrans, m, n, k, 1f, operands[i][0], k, operands[i][1], n, 0f,
                        operands[i][2], n);
            }
        };
    }

    private static FloatPointer randomPointer(java.util.Random random, long length) {
        float[] values = new float[Math.toIntExact(length)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return new FloatPointer(values);
    }

    /**
     * DL4J's {@code fit} and the mask on a copy of {@code prototype}, whose updater is replaced by {@code updater}
     * unless that is null. Each kind calls a method of its own, so that a profile tells them apart.
     */
    private static Runnable fitStep(MultiLayerNetwork prototype, List<DataSet> batches, IUpdater updater) {
        MultiLayerNetwork net;
        if (updater == null) {
            net = prototype.clone();
        } else {
            var conf = prototype.getLayerWiseConfigurations().clone();
            for (int l = 0; l < conf.getConfs().size(); l++) {
                ((BaseLayer) conf.getConf(l).getLayer()).setIUpdater(updater);
            }
            net = new MultiLayerNetwork(conf);
            net.init(prototype.params().dup(), false);
        }
        ParameterMask mask = allTrainable(net);
        int[] next = {0};
        return updater == null
                ? () -> fitWithFusedAdam(net, batches.get(next[0]++ % batches.size()), mask)
                : () -> fitWithNd4jAdam(net, batches.get(next[0]++ % batches.size()), mask);
    }

    private static void fitWithNd4jAdam(MultiLayerNetwork net, DataSet batch, ParameterMask mask) {
        net.fit(batch);
        mask.apply(net.params());
    }

    private static void fitWithFusedAdam(MultiLayerNetwork net, DataSet batch, ParameterMask mask) {
        net.fit(batch);
        mask.apply(net.params());
    }

    /** The training step the trainers run: {@link TrainingStep} on a copy of {@code prototype}. */
    private static Runnable fusedStep(MultiLayerNetwork prototype, List<DataSet> batches) {
        MultiLayerNetwork net = prototype.clone();
        TrainingStep step = TrainingStep.of(net);
        if (!step.isFused()) {
            throw new IllegalStateException("the bench's network does not take the fused step: "
                    + TrainingStep.unsupported(net).orElse(""));
        }
        ParameterMask mask = allTrainable(net);
        int[] next = {0};
        return () -> step.fit(batches.get(next[0]++ % batches.size()), mask);
    }

    private void fisher(MultiLayerNetwork net, List<DataSet> batches, ImageSet base, Task task) {
        int batch = batches.get(0).numExamples();
        double[] seconds = interleaved(fusedStep(net, batches), fisherBlock(net, batches, LabelMode.EMPIRICAL),
                fisherBlock(net, batches, LabelMode.EXACT));
        double trainRate = batch / seconds[0];
        double empirical = batch / seconds[1];
        double exact = batch / seconds[2];
        int loopExamples = 256;
        int[] positions = java.util.stream.IntStream.range(0, loopExamples).toArray();
        DataSet examples = task.trainBatch(base, positions);
        double[] loopSum = new double[(int) net.numParams()];
        double loop = loopExamples / medianSeconds(1, () -> perExampleLoop(net, examples, loopSum));
        FisherAccumulator check = new FisherAccumulator(net, LabelMode.EMPIRICAL, 0);
        check.add(examples.getFeatures(), examples.getLabels().argMax(1).toIntVector(), positions);
        double error = maxRelativeError(check.result().sum(), loopSum);
        line("");
        line("## Fisher: exact per-example diagonal against a training step and a per-example loop");
        line("");
        line("One native thread. The per-example loop runs DL4J's own backpropagation on one example at a time and "
                + "squares the gradient; it agrees with the batched Fisher to a relative error of "
                + String.format(Locale.ROOT, "%.1e", error) + " (max over parameters, 256 examples).");
        line("");
        line("| what | examples/s | ratio |");
        line("|---|---:|---:|");
        line(String.format(Locale.ROOT,
                "| fused training step (forward, backward, Adam, mask), same minibatches | %.0f | 1 |", trainRate));
        line(String.format(Locale.ROOT, "| Fisher, empirical labels, batched | %.0f | **%.2fx** a training step |",
                empirical, empirical / trainRate));
        line(String.format(Locale.ROOT,
                "| Fisher, exact (expectation over the 10 classes) | %.0f | %.2fx a training step |",
                exact, exact / trainRate));
        line(String.format(Locale.ROOT,
                "| per-example loop (batch size 1), empirical labels | %.0f | batched is **%.0fx** faster |",
                loop, empirical / loop));
    }

    private static Runnable fisherBlock(MultiLayerNetwork net, List<DataSet> batches, LabelMode mode) {
        FisherAccumulator accumulator = new FisherAccumulator(net, mode, 0);
        int[] next = {0};
        return () -> {
            DataSet b = batches.get(next[0]++ % batches.size());
            int n = b.numExamples();
            accumulator.add(b.getFeatures(), b.getLabels().argMax(1).toIntVector(),
                    java.util.stream.IntStream.range(0, n).toArray());
        };
    }

    /** The Fisher sum the naive way: per example, DL4J's gradient of the loss, squared and added. */
    private static void perExampleLoop(MultiLayerNetwork prototype, DataSet examples, double[] sum) {
        MultiLayerNetwork net = prototype.clone();
        Arrays.fill(sum, 0);
        for (int n = 0; n < examples.numExamples(); n++) {
            DataSet one = examples.get(n);
            net.setInput(one.getFeatures());
            net.setLabels(one.getLabels());
            net.computeGradientAndScore();
            float[] g = net.gradient().gradient().dup().data().asFloat();
            for (int i = 0; i < g.length; i++) {
                sum[i] += (double) g[i] * g[i];
            }
        }
    }

    // ---- Spark overhead, local[2] ----

    private void spark(NetworkFactory factory, ImageSet base, Task task, RunConfig run) {
        int batch = run.training().batchSize();
        int frequency = run.spark().averagingFrequency();
        MultiLayerNetwork start = factory.create(10, 2);
        ParameterMask mask = allTrainable(start);
        NativeThreads.pin(2);
        double oneJvmTrain = epochRate(task, () -> new LocalTaskTrainer(base, batch).train(start.clone(), task,
                mask, 1, 3));
        double oneJvmFisher = fisherRate(task, () -> new LocalFisherEstimator(base, batch, 1)
                .estimate(start, task, LabelMode.EMPIRICAL, 0));
        NativeThreads.pin(1);
        double replayTrain = epochRate(task, () -> new AveragedTrainer(base, batch, 2, frequency)
                .train(start.clone(), task, mask, 1, 3));
        double sparkTrain;
        double sparkFisher;
        double configParallelTrain;
        try (SparkSession spark = session("local[2]")) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Broadcast<ImageSet> shared = sc.broadcast(base);
            TrainShards shards = TrainShards.fromDriver(sc, base);
            sparkTrain = epochRate(task, () -> new ShardTrainer(sc, shards, batch, 2, frequency, 2)
                    .train(start.clone(), task, mask, 1, 3));
            sparkFisher = fisherRate(task, () -> new SparkFisherEstimator(sc, shards, batch, 2, 2)
                    .estimate(start, task, LabelMode.EMPIRICAL, 0));
            configParallelTrain = 2 * epochRate(task, () -> sc.parallelize(List.of(0, 1), 2)
                    .map(new ReplayEpoch(shared, task, start.params().dup().data().asFloat(),
                            start.getLayerWiseConfigurations().toJson(), batch, frequency)).collect());
        }
        NativeThreads.pin();
        line("");
        line("## Spark against one JVM, one epoch of P1 (" + task.trainSize() + " examples)");
        line("");
        line("One JVM: sequential training (the fused step) with both cores (2 native threads). Spark: local[2], "
                + "one native thread per task; data-parallel training is parameter averaging over the executor-held "
                + "records with 2 workers averaging every " + frequency + " minibatches, the Fisher pass has 2 "
                + "partitions. Config-parallel: two Spark tasks at once, each replaying that averaging in its own "
                + "thread (what a config-parallel sweep does).");
        line("");
        line("| what | examples/s | relative to one JVM |");
        line("|---|---:|---:|");
        line(String.format(Locale.ROOT, "| training, one JVM, sequential | %.0f | 1 |", oneJvmTrain));
        line(String.format(Locale.ROOT, "| training, averaging replayed in one thread | %.0f | %.2f |", replayTrain,
                replayTrain / oneJvmTrain));
        line(String.format(Locale.ROOT, "| training, data-parallel on local[2] | %.0f | **%.2f** |", sparkTrain,
                sparkTrain / oneJvmTrain));
        line(String.format(Locale.ROOT,
                "| training, config-parallel on local[2] (two epochs at once) | %.0f | **%.2f** |",
                configParallelTrain, configParallelTrain / oneJvmTrain));
        line(String.format(Locale.ROOT, "| Fisher, one JVM | %.0f | 1 |", oneJvmFisher));
        line(String.format(Locale.ROOT, "| Fisher, 2 partitions on local[2] | %.0f | **%.2f** |", sparkFisher,
                sparkFisher / oneJvmFisher));
    }

    /** One replayed epoch inside a Spark task, as a config-parallel run trains. */
    private record ReplayEpoch(Broadcast<ImageSet> base, Task task, float[] params, String confJson, int batch,
                               int frequency) implements org.apache.spark.api.java.function.Function<Integer, Integer> {
        @Override
        public Integer call(Integer which) {
            NativeThreads.pin();
            MultiLayerNetwork net = new MultiLayerNetwork(
                    org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(confJson));
            net.init(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT), true);
            new AveragedTrainer(base.value(), batch, 2, frequency).train(net, task, allTrainable(net), 1, 3 + which);
            return which;
        }
    }

    // ---- Java serialization vs Kryo ----

    private void serializer(NetworkFactory factory, ImageSet base, Task task, RunConfig run) {
        int batch = run.training().batchSize();
        int frequency = run.spark().averagingFrequency();
        MultiLayerNetwork start = factory.create(10, 2);
        ParameterMask mask = allTrainable(start);
        List<String> names = List.of("Java (Spark's default)", "Kryo with " + KryoRegistration.class.getSimpleName());
        double[] train = new double[2];
        double[] fisher = new double[2];
        NativeThreads.pin(1);
        // Sessions alternate, so that a slow spell of the shared machine hits both serializers; best round kept.
        for (int round = 0; round < 2; round++) {
            for (int s = 0; s < 2; s++) {
                SparkSession.Builder builder = SparkSession.builder().master("local[2]")
                        .appName("fisher-packnet bench").config("spark.ui.enabled", "false")
                        .config("spark.ui.showConsoleProgress", "false");
                if (s == 1) {
                    builder.config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                            .config("spark.kryo.registrator", KryoRegistration.class.getName());
                }
                try (SparkSession spark = builder.getOrCreate()) {
                    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                    TrainShards shards = TrainShards.fromDriver(sc, base);
                    train[s] = Math.max(train[s], epochRate(task, 3, () -> new ShardTrainer(sc, shards, batch,
                            2, frequency, 2).train(start.clone(), task, mask, 1, 3)));
                    fisher[s] = Math.max(fisher[s], fisherRate(task, 3, () -> new SparkFisherEstimator(sc, shards,
                            batch, 2, 2).estimate(start, task, LabelMode.EMPIRICAL, 0)));
                }
            }
        }
        NativeThreads.pin();
        line("");
        line("## Serializer: Java vs Kryo, local[2], one epoch of P1 (" + task.trainSize() + " examples)");
        line("");
        line("Data-parallel training (2 averaging workers) and the Fisher pass (2 partitions) as in the section "
                + "above, in Spark sessions that alternate between the two serializers (best of 2 rounds).");
        line("");
        line("| serializer | training, examples/s | Fisher, examples/s | training vs Java | Fisher vs Java |");
        line("|---|---:|---:|---:|---:|");
        for (int s = 0; s < 2; s++) {
            line(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2f | %.2f |", names.get(s), train[s], fisher[s],
                    train[s] / train[0], fisher[s] / fisher[0]));
        }
    }

    // ---- data-parallel training and Fisher, Fashion-MNIST ----

    /** Averaging frequencies the data-parallel section measures. */
    private static final int[] FREQUENCIES = {5, 20, 50};

    /**
     * One epoch of P2 task 1 in one JVM with both cores, against {@link ShardTrainer} on local[1] and local[2]
     * (one native thread per task) at several averaging frequencies, with what its rounds cost; the Fisher pass
     * alike; then the model of scale those costs give.
     */
    private void dataParallel(NetworkFactory factory, DataConfig dataConfig, Splits.TrainTest data, Task task,
                              RunConfig run) {
        int batch = run.training().batchSize();
        MultiLayerNetwork start = factory.create(10, 2);
        ParameterMask mask = allTrainable(start);
        NativeThreads.pin(2);
        double oneJvmTrain = epochRate(task, 2, () -> new LocalTaskTrainer(data.train(), batch).train(start.clone(),
                task, mask, 1, 3));
        double oneJvmFisher = fisherRate(task, 2, () -> new LocalFisherEstimator(data.train(), batch, 1)
                .estimate(start, task, LabelMode.EMPIRICAL, 0));
        NativeThreads.pin(1);
        double oneThreadTrain = epochRate(task, 2, () -> new LocalTaskTrainer(data.train(), batch)
                .train(start.clone(), task, mask, 1, 3));
        double[][] train = new double[3][FREQUENCIES.length];
        ShardTrainer.RoundCosts[][] costs = new ShardTrainer.RoundCosts[3][FREQUENCIES.length];
        double[] fisher = new double[3];
        for (int cores = 1; cores <= 2; cores++) {
            int workers = cores;
            try (SparkSession spark = session("local[" + cores + "]")) {
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                // As a sweep reads them: the executors read their record ranges of the (unpacked) IDX files.
                try (TrainShards shards = TrainShards.load(sc, dataConfig).shards()) {
                    shards.partitions(workers);
                    // One worker trains a whole phase in one round, whatever the frequency: measured once.
                    for (int f = cores == 1 ? FREQUENCIES.length - 1 : 0; f < FREQUENCIES.length; f++) {
                        int frequency = FREQUENCIES[f];
                        ShardTrainer[] last = new ShardTrainer[1];
                        train[cores][f] = epochRate(task, 2, () -> {
                            last[0] = new ShardTrainer(sc, shards, batch, workers, frequency, 2);
                            last[0].train(start.clone(), task, mask, 1, 3);
                        });
                        costs[cores][f] = last[0].costs();
                    }
                    fisher[cores] = fisherRate(task, 2, () -> new SparkFisherEstimator(sc, shards, batch, workers, 2)
                            .estimate(start, task, LabelMode.EMPIRICAL, 0));
                }
            }
        }
        NativeThreads.pin();
        int examples = task.trainSize();
        line("");
        line("## Data-parallel training and Fisher on the shards: P2 task 1 (" + examples + " examples), one epoch");
        line("");
        line("One JVM: sequential training with both cores (2 native threads). Spark: the training records held by "
                + "the executors, as many averaging workers (and Fisher partitions) as cores, one native thread per "
                + "task. Per round: the driver's wall time of a round, and per worker the time spent fitting and the "
                + "time spent making the network ready (rebuild, state, shard view); overhead = wall - fitting.");
        line("");
        line("| what | examples/s | vs one JVM (2 threads) | rounds | wall ms/round | fit ms/round/worker "
                + "| setup ms/round/worker | overhead ms/round |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        line(String.format(Locale.ROOT, "| sequential, one JVM, 2 threads | %.0f | 1 | | | | | |", oneJvmTrain));
        line(String.format(Locale.ROOT, "| sequential, one JVM, 1 thread | %.0f | %.2f | | | | | |", oneThreadTrain,
                oneThreadTrain / oneJvmTrain));
        double[] overheadMs = new double[3];
        double[] fitMsPerExample = new double[3];
        for (int cores = 1; cores <= 2; cores++) {
            for (int f = cores == 1 ? FREQUENCIES.length - 1 : 0; f < FREQUENCIES.length; f++) {
                ShardTrainer.RoundCosts c = costs[cores][f];
                double wall = c.wallSeconds() * 1e3 / c.rounds();
                double fit = c.computeSeconds() * 1e3 / c.rounds() / cores;
                double setup = c.setupSeconds() * 1e3 / c.rounds() / cores;
                line(String.format(Locale.ROOT, "| local[%d], %s | %.0f | **%.2f** | %d "
                                + "| %.1f | %.1f | %.1f | %.1f |", cores, cores == 1 ? "1 worker (sequential)"
                                : cores + " workers averaging every " + FREQUENCIES[f],
                        train[cores][f], train[cores][f] / oneJvmTrain, c.rounds(), wall, fit, setup, wall - fit));
                if (f == FREQUENCIES.length - 1) {
                    overheadMs[cores] = wall - fit;
                    fitMsPerExample[cores] = c.computeSeconds() * 1e3 / examples;
                }
            }
        }
        line(String.format(Locale.ROOT, "| Fisher, one JVM, 2 threads | %.0f | 1 | | | | | |", oneJvmFisher));
        for (int cores = 1; cores <= 2; cores++) {
            line(String.format(Locale.ROOT, "| Fisher, local[%d], %d partition%s | %.0f | **%.2f** | | | | | |", cores,
                    cores, cores == 1 ? "" : "s", fisher[cores], fisher[cores] / oneJvmFisher));
        }
        // The model: an epoch of N examples on n workers in R rounds takes N * t / n (fitting, t per example on one
        // core, from local[1]) + R * c (the fixed cost of a round, from local[2] averaging every 50); checked
        // against the other frequencies, which it was not fitted to.
        int last = FREQUENCIES.length - 1;
        double t = fitMsPerExample[1] / 1e3;
        double c = overheadMs[2] / 1e3;
        line("");
        line(String.format(Locale.ROOT, "Model: an epoch of N examples on n workers in R rounds takes N t / n + R c. "
                + "Inputs: t = %.1f us to fit an example on one core (local[1]); c = %.0f ms, the fixed cost of a "
                + "round with 2 workers (local[2], averaging every %d). Checked against the other rows:", t * 1e6,
                c * 1e3, FREQUENCIES[last]));
        line("");
        line("| run | rounds | predicted examples/s | measured | measured / predicted |");
        line("|---|---:|---:|---:|---:|");
        for (int cores = 1; cores <= 2; cores++) {
            for (int f = cores == 1 ? last : 0; f < FREQUENCIES.length; f++) {
                long rounds = costs[cores][f].rounds();
                double predicted = examples / (examples * t / cores + rounds * (cores == 1 ? overheadMs[1] / 1e3 : c));
                line(String.format(Locale.ROOT, "| local[%d]%s | %d | %.0f | %.0f | %.2f |", cores,
                        cores == 1 ? "" : ", every " + FREQUENCIES[f], rounds, predicted, train[cores][f],
                        train[cores][f] / predicted));
            }
        }
    }

    // ---- helpers ----

    private static SparkSession session(String master) {
        return SparkSession.builder().master(master).appName("fisher-packnet bench")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                .getOrCreate();
    }

    private static ParameterMask allTrainable(MultiLayerNetwork net) {
        float[] values = net.params().dup().data().asFloat();
        boolean[] trainable = new boolean[values.length];
        Arrays.fill(trainable, true);
        return ParameterMask.of(values, trainable);
    }

    private static double epochRate(Task task, Runnable epoch) {
        return epochRate(task, 3, epoch);
    }

    private static double epochRate(Task task, int blocks, Runnable epoch) {
        epoch.run();
        return task.trainSize() / median(blocks, epoch);
    }

    private static double fisherRate(Task task, Runnable pass) {
        return fisherRate(task, BLOCKS, pass);
    }

    private static double fisherRate(Task task, int blocks, Runnable pass) {
        pass.run();
        return task.trainSize() / median(blocks, pass);
    }

    /**
     * Median seconds of one call of each of {@code works}, timed in alternating blocks of 8 calls (11 rounds after
     * a warm-up), so that a slow spell of a shared machine hits all of them rather than one.
     */
    private static double[] interleaved(Runnable... works) {
        int rounds = 11;
        int perBlock = 8;
        double[][] seconds = new double[works.length][rounds];
        for (Runnable work : works) {
            for (int i = 0; i < perBlock; i++) {
                work.run();
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int w = 0; w < works.length; w++) {
                long start = System.nanoTime();
                for (int i = 0; i < perBlock; i++) {
                    works[w].run();
                }
                seconds[w][r] = (System.nanoTime() - start) / 1e9 / perBlock;
            }
        }
        double[] medians = new double[works.length];
        for (int w = 0; w < works.length; w++) {
            Arrays.sort(seconds[w]);
            medians[w] = seconds[w][rounds / 2];
        }
        return medians;
    }

    /** Median seconds of one call of {@code work}, timed over blocks of {@code perBlock} calls after a warm-up. */
    private static double medianSeconds(int perBlock, Runnable work) {
        for (int i = 0; i < perBlock; i++) {
            work.run();
        }
        return median(BLOCKS, () -> {
            for (int i = 0; i < perBlock; i++) {
                work.run();
            }
        }) / perBlock;
    }

    private static double median(int blocks, Runnable block) {
        double[] seconds = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            long start = System.nanoTime();
            block.run();
            seconds[b] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[blocks / 2];
    }

    private static double maxRelativeError(double[] expected, double[] actual) {
        double scale = Arrays.stream(expected).map(Math::abs).max().orElse(0);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i]) > 1e-6 * scale) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.abs(expected[i]));
            }
        }
        return worst;
    }

    private void line(String text) {
        report.add(text);
        out.println(text);
        out.flush();
    }
}
