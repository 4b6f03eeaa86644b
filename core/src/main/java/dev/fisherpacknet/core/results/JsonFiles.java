package dev.fisherpacknet.core.results;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The one JSON dialect of the project's files ({@code summary.json}, {@code failure.json}, {@code sweep.json},
 * {@code manifest.json}, the checkpoint's {@code state.json}): each is a record bound with Jackson, written indented
 * with a final newline, and read back into the same record.
 *
 * <p>Reading is tolerant where files of other builds differ and strict where a value is wrong: a field this build
 * does not know is ignored (a newer build wrote it), a field it lacks is null (an older build did not write it, the
 * record decides whether it may be missing), and a value of the wrong kind is an error that names the field and its
 * line rather than being coerced ({@code "2"} or {@code 2.5} is not an integer).
 */
public final class JsonFiles {
    private static final ObjectMapper WRITER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final ObjectMapper READER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private JsonFiles() {
    }

    /** The text of {@code value}: indented JSON with a final newline. */
    public static String text(Object value) {
        try {
            return WRITER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code value} to {@code target} through a temporary file and a rename ({@link AtomicFiles}). */
    public static Path write(Path target, Object value) {
        return AtomicFiles.writeString(target, text(value));
    }

    /**
     * Reads {@code file} into a {@code type}.
     *
     * @throws IOException if the file cannot be read or does not hold a {@code type}; the message names the field at
     *                     fault and its value, without the file's name (the caller adds it, with its advice)
     */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        try {
            return READER.readValue(file.toFile(), type);
        } catch (JsonProcessingException e) {
            throw new IOException(describe(e), e);
        }
    }

    /**
     * Requires a field a record cannot do without; a record's compact constructor calls it, and {@link #read} reports
     * the message as it is.
     */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("field \"" + field + "\" is missing");
        }
        return value;
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            // The record's own check (see required): its message says it all.
            return e.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return path(mismatch) + " is not " + kind(mismatch.getTargetType()) + at(e.getLocation());
        }
        return e.getOriginalMessage() + at(e.getLocation());
    }

    /** The field at fault as a dotted path, with array indices in brackets: {@code tasks[2].millis}. */
    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "of the expected kind";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        return type.isArray() || java.util.Collection.class.isAssignableFrom(type) ? "an array" : "an object";
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
