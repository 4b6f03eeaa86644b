package dev.fisherpacknet.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a {@code main} of the test classpath in a child JVM: for checks that need a second process (file locks
 * are per process) or that must see file permissions as an ordinary user does.
 *
 * <p>Tests often run as root, and root reads and writes through any permission bits (the capabilities
 * {@code CAP_DAC_OVERRIDE} and {@code CAP_DAC_READ_SEARCH}), so {@code chmod 000} proves nothing there. Instead
 * of skipping, {@link #runAsOrdinaryUser} then starts the child through {@code setpriv} without those two
 * capabilities: it is still root, but permission bits apply to it. Only when that is impossible is the test
 * aborted (reported as skipped, never as passed).
 */
public final class ChildJvm {
    private static final long TIMEOUT_SECONDS = 120;

    private ChildJvm() {
    }

    /** What the child did: its exit status and its output (stdout and stderr together). */
    public record Result(int status, String output) {
    }

    /** A started child, for tests that must act while it runs. */
    public record Running(Process process) {
        /** The next line the child prints, or null at its end. */
        public String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = process.getInputStream().read(); c != -1; c = process.getInputStream().read()) {
                if (c == '\n') {
                    return line.toString();
                }
                line.append((char) c);
            }
            return line.isEmpty() ? null : line.toString();
        }

        /** Closes the child's stdin (the helpers wait for that to finish) and waits for it to exit. */
        public Result finish() throws IOException, InterruptedException {
            process.getOutputStream().close();
            String rest = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child JVM did not exit within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), rest);
        }
    }

    /** Runs {@code main} with {@code args} to its end. */
    public static Result run(Class<?> main, String... args) throws IOException, InterruptedException {
        return start(List.of(), main, args).finish();
    }

    /** Starts {@code main} with {@code args}; its stdin stays open until {@link Running#finish}. */
    public static Running start(Class<?> main, String... args) throws IOException {
        return start(List.of(), main, args);
    }

    /**
     * Runs {@code main} in a child to which file permission bits apply: directly if this process is subject to
     * them, else (root) through {@code setpriv} without the capabilities that override them.
     *
     * @param scratch an empty folder to probe whether permission bits apply to this process
     */
    public static Result runAsOrdinaryUser(Path scratch, Class<?> main, String... args)
            throws IOException, InterruptedException {
        if (!permissionsIgnored(scratch)) {
            return run(main, args);
        }
        List<String> setpriv = List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search",
                "--inh-caps=-dac_override,-dac_read_search");
        Result probe = runCommand(concat(setpriv, List.of("true")));
        Assumptions.assumeTrue(probe.status() == 0, "this test runs as root, where permission bits do not apply,"
                + " and `setpriv` cannot drop the capabilities that override them here: " + probe.output());
        return start(setpriv, main, args).finish();
    }

    /** Whether this process reads through permission bits (root), probed on a folder made unreadable. */
    public static boolean permissionsIgnored(Path scratch) throws IOException {
        Path probe = Files.createTempDirectory(scratch, "permission-probe");
        try {
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
            return Files.isReadable(probe);
        } finally {
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwx------"));
            Files.delete(probe);
        }
    }

    private static Running start(List<String> prefix, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new Running(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private static Result runCommand(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
