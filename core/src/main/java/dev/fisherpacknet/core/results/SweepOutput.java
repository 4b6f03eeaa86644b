package dev.fisherpacknet.core.results;

import static dev.fisherpacknet.core.results.OutputLayout.ACCURACY_CSV;
import static dev.fisherpacknet.core.results.OutputLayout.ACCURACY_PARQUET;
import static dev.fisherpacknet.core.results.OutputLayout.EVENT_LOG_DIR;
import static dev.fisherpacknet.core.results.OutputLayout.MANIFEST_JSON;
import static dev.fisherpacknet.core.results.OutputLayout.PLOTS_DIR;
import static dev.fisherpacknet.core.results.OutputLayout.PREVIOUS_PREFIX;
import static dev.fisherpacknet.core.results.OutputLayout.REPORT_HTML;
import static dev.fisherpacknet.core.results.OutputLayout.REPORT_MD;
import static dev.fisherpacknet.core.results.OutputLayout.RUNS_DIR;
import static dev.fisherpacknet.core.results.OutputLayout.SUMMARY_MD;
import static dev.fisherpacknet.core.results.OutputLayout.SWEEP_JSON;
import static dev.fisherpacknet.core.results.OutputLayout.TASKS_CSV;
import static dev.fisherpacknet.core.results.OutputLayout.TASKS_PARQUET;

import dev.fisherpacknet.core.config.ConfigFingerprint;
import dev.fisherpacknet.core.config.SweepConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A sweep's claim on its output folder, taken before any work and held until the sweep ends ({@link #close}). It
 * guarantees that the folder is writable, that no other sweep writes it at the same time ({@link OutputLock}), and
 * that results of two different configurations never mix in it:
 *
 * <ul>
 *   <li>a folder without results is taken, and {@code sweep.json} records the configuration (replacing the record
 *       of a sweep that failed before its first result, such as one with a wrong data folder);</li>
 *   <li>a folder whose {@code sweep.json} (or, from before that file existed, {@code manifest.json}) records the
 *       same configuration ({@link ConfigFingerprint}) is taken as it is, results included: running the same
 *       sweep again, or resuming it, goes on in place;</li>
 *   <li>a folder with results of a different configuration, or with results whose configuration is not recorded,
 *       is refused, naming the keys that differ; with {@code force} its results are moved, untouched, into
 *       {@code previous-<UTC time>/} inside the folder first. Nothing is deleted.</li>
 * </ul>
 */
public final class SweepOutput implements AutoCloseable {

    /** Entries that are results: their presence (a file, or a non-empty folder) means the folder holds results. */
    static final List<String> RESULTS = List.of(ACCURACY_CSV, TASKS_CSV,
            SUMMARY_MD, RUNS_DIR, ACCURACY_PARQUET,
            TASKS_PARQUET, MANIFEST_JSON, REPORT_HTML, REPORT_MD, PLOTS_DIR);

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    /** Keys that differ, named in a refusal; the rest are counted. */
    private static final int DIFFERENCES_SHOWN = 8;

    private final Path dir;
    private final OutputLock lock;
    private final Optional<Path> movedAside;

    private SweepOutput(Path dir, OutputLock lock, Optional<Path> movedAside) {
        this.dir = dir;
        this.lock = lock;
        this.movedAside = movedAside;
    }

    /** Claims {@code sweep}'s output folder; see the class comment. */
    public static SweepOutput claim(SweepConfig sweep, boolean force) {
        return claim(sweep, force, Clock.systemUTC());
    }

    /**
     * {@link #claim(SweepConfig, boolean)} with the clock that stamps the lock, the record and the folder of
     * moved results.
     *
     * @throws OutputException      if the folder cannot be created or written, or holds results of another
     *                              configuration and {@code force} is false
     * @throws OutputInUseException if another sweep holds the folder
     */
    public static SweepOutput claim(SweepConfig sweep, boolean force, Clock clock) {
        Path dir = sweep.outputDir();
        createFolder(dir);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        OutputLock lock = OutputLock.acquire(dir, holder(sweep, now));
        try {
            probeWritable(dir);
            ConfigFingerprint fingerprint = ConfigFingerprint.of(sweep);
            Optional<Path> aside = Optional.empty();
            List<String> results = presentResults(dir);
            Optional<String> conflict = results.isEmpty() ? Optional.empty() : conflict(dir, fingerprint, results);
            if (conflict.isPresent()) {
                if (!force) {
                    throw new OutputException(conflict.get() + ". Results of two configurations are never mixed:"
                            + " set output.dir or --out to another folder, or pass --force to move the results there"
                            + " into " + dir.resolve(PREVIOUS_PREFIX + "<time>") + "/ and start afresh");
                }
                aside = Optional.of(moveAside(dir, now));
            }
            if (results.isEmpty() || aside.isPresent() || !Files.exists(dir.resolve(SWEEP_JSON))) {
                writeMarker(dir, sweep, fingerprint, now);
            }
            return new SweepOutput(dir, lock, aside);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** Where {@code force} moved the results of another configuration, if it did. */
    public Optional<Path> movedAside() {
        return movedAside;
    }

    /** Releases the folder. */
    @Override
    public void close() {
        lock.close();
    }

    private static void createFolder(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new OutputException("output folder " + dir + " is a file, not a folder; set output.dir or --out to"
                    + " a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OutputException("cannot create output folder " + dir + " (" + e + "); set output.dir or --out"
                    + " to a folder you can write", e);
        }
    }

    /** Creating the lock file needs a writable folder only once; results are written on every run. */
    private static void probeWritable(Path dir) {
        Path probe = dir.resolve(".write-probe-" + UUID.randomUUID());
        try {
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new OutputException("output folder " + dir + " is not writable: cannot create a file in it (" + e
                    + "); make the folder writable by this user, or set output.dir or --out to a folder you can"
                    + " write", e);
        }
    }

    private static Map<String, String> holder(SweepConfig sweep, Instant now) {
        Map<String, String> holder = new LinkedHashMap<>();
        holder.put("pid", String.valueOf(ProcessHandle.current().pid()));
        holder.put("host", hostName());
        holder.put("started", now.toString());
        holder.put("config", sweep.source());
        return holder;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
        }
    }

    /**
     * Why the folder's {@code results} cannot be joined by a sweep of {@code fingerprint}, or empty if they can
     * (they are of the same configuration).
     */
    private static Optional<String> conflict(Path dir, ConfigFingerprint fingerprint, List<String> results) {
        Path marker = dir.resolve(SWEEP_JSON);
        Path manifest = dir.resolve(MANIFEST_JSON);
        String record;
        ConfigFingerprint recorded;
        try {
            if (Files.exists(marker)) {
                SweepMarker read = JsonFiles.read(marker, SweepMarker.class);
                record = SWEEP_JSON + ", written by " + (read.source() == null ? "?" : read.source()) + " at "
                        + (read.created() == null ? "?" : read.created());
                recorded = ConfigFingerprint.ofValues(read.config());
            } else if (Files.exists(manifest)) {
                SweepManifest read = JsonFiles.read(manifest, SweepManifest.class);
                record = MANIFEST_JSON + " of " + (read.source() == null ? "?" : read.source()) + ", finished "
                        + (read.timing().finished() == null ? "?" : read.timing().finished());
                recorded = ConfigFingerprint.ofResolved(read.config());
            } else {
                return Optional.of("output folder " + dir + " holds results (" + String.join(", ", results) + ") but"
                        + " no record of their configuration (" + SWEEP_JSON + " or " + MANIFEST_JSON + ")");
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("output folder " + dir + " holds results whose record of their configuration cannot be"
                    + " read (" + e.getMessage() + ")");
        }
        List<String> differences = fingerprint.differencesFrom(recorded);
        if (differences.isEmpty()) {
            return Optional.empty();
        }
        String shown = String.join("; ", differences.subList(0, Math.min(DIFFERENCES_SHOWN, differences.size())));
        int more = differences.size() - DIFFERENCES_SHOWN;
        return Optional.of("output folder " + dir + " holds results of a different configuration (" + record + "): "
                + shown + (more > 0 ? "; and " + more + " more key" + (more > 1 ? "s" : "") : ""));
    }


    private static List<String> presentResults(Path dir) {
        List<String> present = new ArrayList<>();
        for (String name : RESULTS) {
            Path entry = dir.resolve(name);
            if (Files.isRegularFile(entry) || Files.isDirectory(entry) && !isEmptyFolder(entry)) {
                present.add(Files.isDirectory(entry) ? name + "/" : name);
            }
        }
        return present;
    }

    private static boolean isEmptyFolder(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Moves every result entry, the event logs and hidden temporaries left by a crash into a new
     * {@code previous-<time>/}; other files (the user's own, earlier {@code previous-*} folders) stay.
     */
    private static Path moveAside(Path dir, Instant now) {
        Path target = dir.resolve(PREVIOUS_PREFIX + STAMP.format(now));
        for (int n = 2; Files.exists(target); n++) {
            target = dir.resolve(PREVIOUS_PREFIX + STAMP.format(now) + "-" + n);
        }
        try {
            Files.createDirectory(target);
            List<Path> entries;
            try (Stream<Path> list = Files.list(dir)) {
                entries = list.filter(SweepOutput::belongsToASweep).sorted().toList();
            }
            for (Path entry : entries) {
                Files.move(entry, target.resolve(entry.getFileName()));
            }
            return target;
        } catch (IOException e) {
            throw new OutputException("cannot move the earlier results of " + dir + " into " + target + " (" + e
                    + "); move or delete them yourself, or set output.dir or --out to another folder", e);
        }
    }

    private static boolean belongsToASweep(Path entry) {
        String name = entry.getFileName().toString();
        return RESULTS.contains(name) || name.equals(SWEEP_JSON) || name.equals(EVENT_LOG_DIR)
                || name.startsWith(".") && (name.endsWith(".tmp") || name.contains(".tmp-") || name.contains(".old-"));
    }

    private static void writeMarker(Path dir, SweepConfig sweep, ConfigFingerprint fingerprint, Instant now) {
        SweepMarker marker = new SweepMarker(sweep.name(), sweep.source(), now.toString(), fingerprint.sha256(),
                ConfigFingerprint.IGNORED.stream().sorted().toList(), fingerprint.values());
        JsonFiles.write(dir.resolve(SWEEP_JSON), marker);
    }
}
