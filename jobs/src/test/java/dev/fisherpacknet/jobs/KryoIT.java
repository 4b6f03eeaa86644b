package dev.fisherpacknet.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fisherpacknet.core.config.BaselineConfig;
import dev.fisherpacknet.core.config.EwcMode;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.train.EwcPenalty;
import dev.fisherpacknet.jobs.spark.KryoRegistration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag$;

/** Spark's Kryo serializer with {@link KryoRegistration}: what it must handle, and sweeps that equal Java's. */
class KryoIT {
    private static final String KRYO = "org.apache.spark.serializer.KryoSerializer";

    @TempDir
    Path dir;

    @Test
    void registration_roundTripsRecordsArraysAndImmutableCollections_whichPlainKryoCannotReadBack() {
        AccuracyMatrix matrix = new AccuracyMatrix(new double[][] {{0.5, Double.NaN}, {0.25, 0.75}});
        INDArray array = Nd4j.rand(3, 4);

        SerializerInstance registered = new KryoSerializer(new SparkConf()
                .set("spark.kryo.registrator", KryoRegistration.class.getName())).newInstance();
        assertEquals(matrix, roundTrip(registered, matrix));
        assertEquals(array, roundTrip(registered, array));
        assertEquals(List.of(List.of(1, 2, 3), Map.of("a", 1)), roundTrip(registered, List.of(List.of(1, 2, 3),
                Map.of("a", 1))));

        // The EWC penalty (a plain class, broadcast inside a list of training listeners) and a joint run's config.
        EwcPenalty penalty = new EwcPenalty(3, new double[] {1, 2}, new double[] {0.5, -1});
        EwcPenalty penaltyBack = (EwcPenalty) roundTrip(registered, new ArrayList<>(List.of(penalty))).get(0);
        assertEquals(penalty.value(new float[] {2, 2}), penaltyBack.value(new float[] {2, 2}));
        assertEquals(BaselineConfig.ewc(20, EwcMode.ONLINE, 0.5),
                roundTrip(registered, BaselineConfig.ewc(20, EwcMode.ONLINE, 0.5)));

        // Without the registration Kryo 4 writes the record field by field and fails to set its final field.
        SerializerInstance plain = new KryoSerializer(new SparkConf()).newInstance();
        assertThrows(RuntimeException.class, () -> roundTrip(plain, matrix));
    }

    @Test
    void sweep_withKryo_inBothModes_equalsTheSweepWithJavaSerialization() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        SyntheticIdx.write(data, 200, 60, 2);
        Path conf = Files.writeString(dir.resolve("tiny.conf"), """
                experiment.name = tiny-kryo
                seed = [4, 5]
                data { source = idx, dir = "%s" }
                tasks.count = 2
                model.hidden = [16, 12]
                training { learning-rate = 0.01, batch-size = 32, epochs = 2, retrain-epochs = 1 }
                prune { ratio = 0.5, score = [fisher, magnitude] }
                spark { workers = 2, partitions = 2, averaging-frequency = 2 }
                baselines = [ewc, joint]
                ewc.lambda = 20
                """.formatted(data));

        sweep(conf, "java", "data-parallel");
        sweep(conf, "kryo-data", "data-parallel", "--conf", "spark.serializer=" + KRYO,
                "--conf", "spark.kryo.registrator=" + KryoRegistration.class.getName());
        sweep(conf, "kryo-config", "config-parallel", "--conf", "spark.serializer=" + KRYO,
                "--conf", "spark.kryo.registrator=" + KryoRegistration.class.getName());

        byte[] expected = Files.readAllBytes(dir.resolve("java/accuracy.csv"));
        for (String out : List.of("kryo-data", "kryo-config")) {
            assertArrayEquals(expected, Files.readAllBytes(dir.resolve(out).resolve("accuracy.csv")), out);
            assertEquals(KRYO, new ObjectMapper().readTree(dir.resolve(out).resolve("manifest.json").toFile())
                    .get("spark").get("serializer").asText(), out);
        }
    }

    private void sweep(Path conf, String out, String mode, String... more) {
        List<String> args = new ArrayList<>(List.of(conf.toString(), "--master", "local[2]",
                "--set", "spark.mode=" + mode, "--out", dir.resolve(out).toString(),
                "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1"));
        args.addAll(List.of(more));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(console, true, StandardCharsets.UTF_8);
        int status = SweepJob.execute(args.toArray(String[]::new), stream, stream);
        assertEquals(0, status, console.toString(StandardCharsets.UTF_8));
    }

    private static <T> T roundTrip(SerializerInstance serializer, T value) {
        @SuppressWarnings("unchecked")
        scala.reflect.ClassTag<T> tag = (scala.reflect.ClassTag<T>) ClassTag$.MODULE$.AnyRef();
        ByteBuffer bytes = serializer.serialize(value, tag);
        return serializer.deserialize(bytes, tag);
    }
}
