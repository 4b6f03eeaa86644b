package dev.fisherpacknet.core.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where and when a sweep ran, for the report's provenance section; "unknown" where a fact was not recorded.
 *
 * @param projectVersion fisher-packnet's version
 * @param dl4jVersion    Deeplearning4j / ND4J version
 * @param sparkVersion   Spark's version
 * @param javaVersion    the driver's Java version
 * @param os             operating system and architecture of the driver
 * @param cores          processors available to the driver's JVM; 0 if unknown
 * @param sparkMaster    the Spark master URL
 * @param parallelism    Spark's default parallelism; 0 if unknown
 * @param gitCommit      the commit of the working tree ("+dirty" if changed), or "unknown"
 * @param started        when the sweep started
 * @param finished       when it finished
 */
public record Environment(String projectVersion, String dl4jVersion, String sparkVersion, String javaVersion,
                          String os, int cores, String sparkMaster, int parallelism, String gitCommit,
                          Instant started, Instant finished) {
    public Environment {
        Objects.requireNonNull(projectVersion);
        Objects.requireNonNull(dl4jVersion);
        Objects.requireNonNull(sparkVersion);
        Objects.requireNonNull(javaVersion);
        Objects.requireNonNull(os);
        Objects.requireNonNull(sparkMaster);
        Objects.requireNonNull(gitCommit);
        Objects.requireNonNull(started);
        Objects.requireNonNull(finished);
    }

    /** Wall time of the sweep. */
    public Duration wallTime() {
        return Duration.between(started, finished);
    }

    /** The operating system of this JVM, as "name version (arch)". */
    public static String thisOs() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")";
    }
}
