package dev.fisherpacknet.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ParameterMaskTest {

    private static final int SIZE = 1000;

    /** Non-zero floats over many magnitudes and both signs, subnormals included. */
    private static float[] randomValues(long seed) {
        Random random = new Random(seed);
        float[] values = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            float magnitude = (float) Math.scalb(1.0 + random.nextDouble(), random.nextInt(60) - 30);
            values[i] = random.nextBoolean() ? magnitude : -magnitude;
            if (i % 50 == 0) {
                values[i] = Float.MIN_VALUE * (i + 1);
            }
        }
        return values;
    }

    private static boolean[] randomFlags(long seed) {
        Random random = new Random(seed);
        boolean[] flags = new boolean[SIZE];
        for (int i = 0; i < SIZE; i++) {
            flags[i] = random.nextBoolean();
        }
        return flags;
    }

    private static INDArray row(float[] values) {
        return Nd4j.create(values.clone(), new long[] {1, values.length}, DataType.FLOAT);
    }

    private static float[] floats(INDArray array) {
        return array.dup().data().asFloat();
    }

    private static ParameterMask roundTrip(ParameterMask mask) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(mask);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ParameterMask) in.readObject();
        }
    }

    @Test
    void apply_resetsFrozenEntriesBitForBitAndLeavesTrainableEntriesBitForBit() {
        // given: frozen values, and parameters an optimiser has since moved everywhere
        float[] frozen = randomValues(1);
        boolean[] trainable = randomFlags(2);
        float[] moved = randomValues(3);
        ParameterMask mask = ParameterMask.of(frozen, trainable);
        INDArray params = row(moved);

        // when
        mask.apply(params);

        // then
        float[] after = floats(params);
        for (int i = 0; i < SIZE; i++) {
            int expected = Float.floatToIntBits(trainable[i] ? moved[i] : frozen[i]);
            assertEquals(expected, Float.floatToIntBits(after[i]), "entry " + i + " trainable=" + trainable[i]);
        }
    }

    @Test
    void apply_twice_changesNothingMore() {
        // given
        ParameterMask mask = ParameterMask.of(randomValues(4), randomFlags(5));
        INDArray params = row(randomValues(6));
        mask.apply(params);
        float[] once = floats(params);

        // when
        mask.apply(params);

        // then
        assertArrayEquals(once, floats(params));
    }

    @Test
    void of_frozenNegativeZero_isHeldAsPositiveZero() {
        // given
        float[] values = {-0f, 0f, -0f, 1f};
        boolean[] trainable = {false, false, false, false};
        ParameterMask mask = ParameterMask.of(values, trainable);
        INDArray params = row(new float[] {-0f, -0f, 5f, -0f});

        // when
        mask.apply(params);

        // then
        for (int i = 0; i < 3; i++) {
            assertEquals(0, Float.floatToIntBits(mask.frozenValue(i)), "stored frozen value " + i);
            assertEquals(0, Float.floatToIntBits(floats(params)[i]), "applied entry " + i);
        }
        assertEquals(Float.floatToIntBits(1f), Float.floatToIntBits(floats(params)[3]));
    }

    @Test
    void apply_onATrainableZeroOfEitherSign_leavesAZero() {
        // given
        ParameterMask mask = ParameterMask.of(new float[] {7f, 7f}, new boolean[] {true, true});
        INDArray params = row(new float[] {0f, -0f});

        // when
        mask.apply(params);

        // then: a zero stays a zero (as a number; its sign is immaterial to every later computation)
        assertEquals(0f, floats(params)[0], 0f);
        assertEquals(0f, floats(params)[1], 0f);
    }

    @Test
    void accessors_reportTheFlagsAndFrozenValuesGiven() {
        // given
        float[] values = randomValues(7);
        boolean[] trainable = randomFlags(8);

        // when
        ParameterMask mask = ParameterMask.of(values, trainable);

        // then
        assertEquals(SIZE, mask.size());
        for (int i = 0; i < SIZE; i++) {
            assertEquals(trainable[i], mask.isTrainable(i));
            assertEquals(Float.floatToIntBits(trainable[i] ? 0f : values[i]),
                    Float.floatToIntBits(mask.frozenValue(i)));
        }
    }

    @Test
    void of_doesNotAliasTheCallersArrays() {
        // given
        float[] values = randomValues(9);
        boolean[] trainable = randomFlags(10);
        ParameterMask mask = ParameterMask.of(values, trainable);
        float[] expected = floats(applied(mask, randomValues(11)));

        // when
        Arrays.fill(values, 42f);
        Arrays.fill(trainable, true);

        // then
        assertArrayEquals(expected, floats(applied(mask, randomValues(11))));
    }

    private static INDArray applied(ParameterMask mask, float[] values) {
        INDArray params = row(values);
        mask.apply(params);
        return params;
    }

    @Test
    void javaSerialization_roundTrip_givesAMaskThatAppliesBitIdentically() throws Exception {
        // given: a mask already used once, so its transient device arrays exist before serialization
        float[] frozen = randomValues(12);
        frozen[3] = -0f;
        boolean[] trainable = randomFlags(13);
        trainable[3] = false;
        ParameterMask mask = ParameterMask.of(frozen, trainable);
        applied(mask, randomValues(14));

        // when
        ParameterMask copy = roundTrip(mask);

        // then
        assertEquals(mask.size(), copy.size());
        for (int i = 0; i < SIZE; i++) {
            assertEquals(mask.isTrainable(i), copy.isTrainable(i));
            assertEquals(Float.floatToIntBits(mask.frozenValue(i)), Float.floatToIntBits(copy.frozenValue(i)));
        }
        float[] byOriginal = floats(applied(mask, randomValues(15)));
        float[] byCopy = floats(applied(copy, randomValues(15)));
        for (int i = 0; i < SIZE; i++) {
            assertEquals(Float.floatToIntBits(byOriginal[i]), Float.floatToIntBits(byCopy[i]), "entry " + i);
        }
    }

    @Test
    void of_withDifferentLengths_isRejectedNamingBoth() {
        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterMask.of(new float[3], new boolean[4]));

        // then
        assertEquals("3 values but 4 flags", e.getMessage());
    }
}
