package dev.fisherpacknet.core.data;

import dev.fisherpacknet.core.ConfigName;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Child-JVM helper for the tests of unreadable data: loads {@code data.source = args[0]} from
 * {@code data.dir = args[1]}, printing the sizes, or the error and exit status 2 as the job does.
 */
public final class LoadDataMain {
    private LoadDataMain() {
    }

    public static void main(String[] args) {
        try {
            DataSource source = ConfigName.parse(DataSource.class, args[0]).orElseThrow();
            Path dir = Path.of(args[1]);
            Splits.TrainTest data = Datasets.load(new DataConfig(source, Optional.of(DataPath.of(dir)),
                    dir.resolveSibling("unused-cache"), 0.5));
            System.out.println("read " + data.train().size() + " + " + data.test().size());
        } catch (DataException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
