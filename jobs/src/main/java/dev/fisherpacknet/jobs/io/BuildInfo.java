package dev.fisherpacknet.jobs.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts the build wrote into the jar ({@code build.properties}): versions, and the JVM flags Spark needs. */
public final class BuildInfo {
    private BuildInfo() {
    }

    /** The build's properties; empty if the resource is missing (running from an unfiltered IDE build). */
    public static Properties properties() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/fisherpacknet/jobs/build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The {@code --add-opens} flags Spark needs on Java 17, space-separated. */
    public static String javaOpens() {
        return properties().getProperty("java17.opens", "").trim();
    }
}
