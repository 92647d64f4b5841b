package dev.koboldj.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files must give a valid parse or a GgufFormatException, never any other throwable. */
class GgufCorruptionTest {
    @TempDir
    Path dir;

    static byte[] validFile() throws IOException {
        Metadata m = GgufRoundTripTest.everyType();
        GgufWriter w = new GgufWriter(m);
        Random r = new Random(1);
        w.addTensor("t0", GgmlType.F32, new long[]{8, 2}, MemorySegment.ofArray(GgufRoundTripTest.randomBytes(r, 64)));
        w.addTensor("t1", GgmlType.Q8_0, new long[]{64}, MemorySegment.ofArray(GgufRoundTripTest.randomBytes(r, 68)));
        w.addTensor("t2", GgmlType.F16, new long[]{4, 4}, MemorySegment.ofArray(GgufRoundTripTest.randomBytes(r, 32)));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        w.write(bos, (i, n, t) -> { });
        return bos.toByteArray();
    }

    /** Parses and touches everything a loader would; returns normally or throws GgufFormatException. */
    static void parseAndTouch(byte[] bytes) {
        GgufFile g = GgufFile.of(MemorySegment.ofArray(bytes));
        for (String k : g.metadata().keys()) g.metadata().get(k).value().toString();
        for (TensorInfo t : g.tensors()) {
            MemorySegment s = g.data(t);
            if (s.byteSize() > 0) s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1);
        }
    }

    @Test
    void thousandsOfMutationsGiveAValidFileOrAFormatException() throws IOException {
        byte[] valid = validFile();
        parseAndTouch(valid);
        Random r = new Random(42);
        int rejected = 0;
        int runs = 20000;
        for (int run = 0; run < runs; run++) {
            byte[] b = mutate(valid, r);
            try {
                parseAndTouch(b);
            } catch (GgufFormatException e) {
                rejected++;
                assertTrue(e.offset() >= 0 && e.offset() <= b.length, "offset within file: " + e.getMessage());
                assertTrue(e.getMessage().contains("at byte offset"), e.getMessage());
            } catch (Throwable t) {
                fail("mutation " + run + " threw " + t + " for a file of " + b.length + " bytes", t);
            }
        }
        assertTrue(rejected > runs / 4, "most mutations hit the header and are rejected: " + rejected);
    }

    private static byte[] mutate(byte[] valid, Random r) {
        byte[] b = valid.clone();
        int headerEnd = Math.min(b.length, 1200);
        switch (r.nextInt(5)) {
            case 0 -> { // random bytes
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) b[r.nextInt(headerEnd)] = (byte) r.nextInt();
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncation
            case 2 -> { // a huge or negative 64-bit count at a random position
                long[] huge = {Long.MAX_VALUE, -1L, 1L << 40, 1L << 31, Integer.MAX_VALUE, 0xFFFFFFFFL};
                int p = r.nextInt(headerEnd - 8);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(p, huge[r.nextInt(huge.length)]);
            }
            case 3 -> { // a huge 32-bit value (type ids, dimension counts, versions)
                int[] huge = {-1, Integer.MAX_VALUE, 0x10000, 9, 13, 64, 5};
                int p = r.nextInt(headerEnd - 4);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(p, huge[r.nextInt(huge.length)]);
            }
            default -> { // a run of random bytes
                int p = r.nextInt(headerEnd);
                for (int i = p; i < Math.min(b.length, p + 1 + r.nextInt(32)); i++) b[i] = (byte) r.nextInt();
            }
        }
        return b;
    }

    private static GgufFormatException rejected(byte[] b) {
        return assertThrows(GgufFormatException.class, () -> GgufFile.of(MemorySegment.ofArray(b)));
    }

    @Test
    void eachKindOfDamageIsNamed() throws IOException {
        byte[] valid = validFile();
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;

        byte[] magic = valid.clone();
        magic[0] = 'X';
        assertTrue(rejected(magic).getMessage().startsWith("bad magic"));

        byte[] version = valid.clone();
        ByteBuffer.wrap(version).order(le).putInt(4, 7);
        GgufFormatException v = rejected(version);
        assertTrue(v.getMessage().startsWith("unsupported GGUF version 7"), v.getMessage());
        assertEquals(4, v.offset());

        byte[] v2 = valid.clone();
        ByteBuffer.wrap(v2).order(le).putInt(4, 2);
        parseAndTouch(v2); // version 2 has the same layout

        assertTrue(rejected(Arrays.copyOf(valid, 3)).getMessage().startsWith("truncated file"));
        assertTrue(rejected(Arrays.copyOf(valid, valid.length - 1)).getMessage().contains("beyond the end of the file"));

        byte[] hugeKv = valid.clone();
        ByteBuffer.wrap(hugeKv).order(le).putLong(16, Long.MAX_VALUE);
        GgufFormatException kv = rejected(hugeKv);
        assertTrue(kv.getMessage().contains("larger than the file can hold"), kv.getMessage());
        assertEquals(16, kv.offset());

        byte[] hugeKey = valid.clone();
        ByteBuffer.wrap(hugeKey).order(le).putLong(24, 1L << 50);
        GgufFormatException key = rejected(hugeKey);
        assertTrue(key.getMessage().startsWith("length 1125899906842624 of metadata key"), key.getMessage());
        assertEquals(24, key.offset());
    }

    @Test
    void unknownTypeIdsAndOverlapsAreNamed() throws IOException {
        Metadata m = new Metadata();
        GgufWriter w = new GgufWriter(m);
        w.addTensor("a", new float[8], 8);
        w.addTensor("b", new float[8], 8);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        w.write(bos, (i, n, t) -> { });
        byte[] valid = bos.toByteArray();
        // header: 24 bytes; tensor "a": 8+1 name, 4 n_dims, 8 dim, 4 type, 8 offset
        int typeAt = 24 + 9 + 4 + 8;
        byte[] unknown = valid.clone();
        ByteBuffer.wrap(unknown).order(ByteOrder.LITTLE_ENDIAN).putInt(typeAt, 4);
        GgufFormatException e = rejected(unknown);
        assertEquals("tensor 'a' has unknown ggml type id 4 (at byte offset " + typeAt + ")", e.getMessage());

        int offsetOfB = typeAt + 4 + 8 + 9 + 4 + 8 + 4;
        byte[] overlap = valid.clone();
        ByteBuffer.wrap(overlap).order(ByteOrder.LITTLE_ENDIAN).putLong(offsetOfB, 0);
        assertTrue(rejected(overlap).getMessage().contains("overlaps tensor"));
    }

    @Test
    void aFileOnDiskIsMappedAndAnEmptyFileIsRejected() throws IOException {
        Path empty = dir.resolve("empty.gguf");
        Files.write(empty, new byte[0]);
        assertThrows(GgufFormatException.class, () -> GgufFile.open(empty));
        Path ok = dir.resolve("ok.gguf");
        Files.write(ok, validFile());
        try (GgufFile g = GgufFile.open(ok)) {
            assertEquals(3, g.tensors().size());
        }
    }
}
