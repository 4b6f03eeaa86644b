package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.results.OutputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before any work, that results can be written where the user asked. */
final class OutputFolder {
    private OutputFolder() {
    }

    /** Creates {@code dir} if needed, checks that it is a writable folder and returns it. */
    static Path prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OutputException("cannot create output folder " + dir + " (" + e + "); set output.dir or "
                    + "--out to a folder you can write");
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new OutputException("output folder " + dir + " is not a writable folder; set output.dir or "
                    + "--out to a folder you can write");
        }
        return dir;
    }
}
