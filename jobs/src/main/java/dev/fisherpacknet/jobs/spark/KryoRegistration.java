package dev.fisherpacknet.jobs.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * Makes Spark's {@code KryoSerializer} usable for the job: ND4J arrays through ND4J's own registrator; every Java
 * record (the project's configs, task-0 states and results are records) and the JDK's immutable collections
 * ({@code List.of}, {@code Map.copyOf}, ...) through Java serialization.
 *
 * <p>Kryo 4, which Spark 3.5 ships, writes records field by field and cannot set their final fields when reading
 * them back, so without the record rule a Kryo-serialized broadcast or task result fails. Enable with
 * {@code --conf spark.serializer=org.apache.spark.serializer.KryoSerializer
 * --conf spark.kryo.registrator=dev.fisherpacknet.jobs.spark.KryoRegistration} (docs/running.md, "Kryo").
 */
public final class KryoRegistration implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        new Nd4jRegistrator().registerClasses(kryo);
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
        // List.of, Set.of, Map.of and their kin reject the add/put calls by which Kryo rebuilds collections.
        kryo.addDefaultSerializer(jdkClass("java.util.ImmutableCollections$AbstractImmutableCollection"),
                JavaSerializer.class);
        kryo.addDefaultSerializer(jdkClass("java.util.ImmutableCollections$AbstractImmutableMap"),
                JavaSerializer.class);
    }

    private static Class<?> jdkClass(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("this JDK has no " + name + "; the Kryo registration needs Java 17", e);
        }
    }
}
