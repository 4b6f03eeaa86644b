package dev.fisherpacknet.core.results;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child-JVM helper for {@link AtomicFilesTest}: starts writing {@code args[1]} into the file (or, with
 * {@code args[0] = folder}, into a file of the folder) {@code args[2]}, then dies on the spot, as a killed or
 * crashed job would: no exception, no cleanup, no shutdown hooks.
 */
public final class HaltMidWriteMain {
    private HaltMidWriteMain() {
    }

    public static void main(String[] args) {
        byte[] half = args[1].getBytes(StandardCharsets.UTF_8);
        Path target = Path.of(args[2]);
        if (args[0].equals("folder")) {
            AtomicFiles.writeFolder(target, dir -> {
                java.nio.file.Files.createDirectories(dir);
                java.nio.file.Files.write(dir.resolve("part-00000"), half);
                Runtime.getRuntime().halt(3);
            });
        } else {
            AtomicFiles.write(target, out -> {
                out.write(half);
                out.flush();
                Runtime.getRuntime().halt(3);
            });
        }
    }
}
