package dev.fisherpacknet.jobs;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium in headless mode, to look at a page as a reader's browser would: dump the DOM after the page
 * loaded, or take a screenshot. The build installs it first ({@code scripts/ensure-chromium.sh}).
 */
final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 120;

    private final Path binary;
    private final Path profile;

    private HeadlessChromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /**
     * The browser on the PATH. Without one the test fails, naming the install script, unless that script left
     * {@code target/chromium-unavailable.txt} saying why Chromium cannot be installed on this machine: then the
     * test is skipped with that reason, printed so that the skip is visible in the build log.
     */
    static HeadlessChromium find(Path profile) throws IOException {
        Optional<Path> binary = onPath("chromium").or(() -> onPath("chromium-browser"));
        if (binary.isPresent()) {
            return new HeadlessChromium(binary.get(), profile);
        }
        Path marker = Path.of("target", "chromium-unavailable.txt");
        if (Files.isRegularFile(marker)) {
            String reason = Files.readString(marker).trim();
            System.err.println("SKIPPED: the report is not checked in a browser: Chromium cannot be installed"
                    + " here (" + reason + ")");
            Assumptions.abort("Chromium cannot be installed here: " + reason);
        }
        return fail("no chromium on the PATH; run scripts/ensure-chromium.sh (mvn verify runs it before the"
                + " integration tests) or install Debian's chromium package");
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The page's DOM after it loaded (and its load handlers ran), as Chromium serialises it. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", page.toUri().toString()));
    }

    /** A PNG screenshot of the page's top {@code width} x {@code height} pixels. */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png,
                page.toUri().toString()));
        if (!Files.isRegularFile(png)) {
            fail("chromium wrote no screenshot " + png);
        }
    }

    private String run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--disable-gpu",
                // root (CI) needs --no-sandbox; a private profile keeps runs from sharing state or locks.
                "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile));
        command.addAll(arguments);
        Path log = Files.createTempFile(profile.getParent(), "chromium", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] stdout;
        try (var in = process.getInputStream()) {
            stdout = in.readAllBytes();
        }
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        if (process.exitValue() != 0) {
            fail("chromium exited with " + process.exitValue() + ": " + command + "\n" + Files.readString(log));
        }
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
