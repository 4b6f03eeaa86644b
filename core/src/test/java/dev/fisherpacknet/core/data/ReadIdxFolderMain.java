package dev.fisherpacknet.core.data;

import java.nio.file.Path;

/** Child-JVM helper for {@link IdxReaderTest}: reads an IDX folder as data.dir, printing the size or the error. */
public final class ReadIdxFolderMain {
    private ReadIdxFolderMain() {
    }

    public static void main(String[] args) {
        try {
            Splits.TrainTest data = IdxReader.readFolder(Path.of(args[0]), 10, "data.dir");
            System.out.println("read " + data.train().size() + " + " + data.test().size());
        } catch (DataException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
