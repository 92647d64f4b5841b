package dev.koboldj.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {
    @TempDir
    Path dir;

    /** Metadata with every value type, arrays of every element type and an array of arrays. */
    static Metadata everyType() {
        Metadata m = new Metadata();
        m.putString("general.architecture", "bert");
        m.put("u8", ValueType.UINT8, (byte) 200);
        m.put("i8", ValueType.INT8, (byte) -5);
        m.put("u16", ValueType.UINT16, (short) 60000);
        m.put("i16", ValueType.INT16, (short) -300);
        m.putUInt32("bert.block_count", 6);
        m.putInt32("i32", -7);
        m.putFloat32("f32", 1.5f);
        m.putBool("flag", true);
        m.putString("unicode", "héllo ▁ 世界 🙂");
        m.putUInt64("u64", -1L);
        m.put("i64", ValueType.INT64, Long.MIN_VALUE);
        m.put("f64", ValueType.FLOAT64, Math.PI);
        m.putArray("a.u8", new MetadataArray(ValueType.UINT8, new byte[]{1, (byte) 255}));
        m.putArray("a.i16", new MetadataArray(ValueType.INT16, new short[]{-1, 2}));
        m.putInt32Array("a.i32", new int[]{1, 2, 3});
        m.putArray("a.u64", new MetadataArray(ValueType.UINT64, new long[]{1L << 40}));
        m.putFloatArray("a.f32", new float[]{0.5f, -2f});
        m.putArray("a.f64", new MetadataArray(ValueType.FLOAT64, new double[]{1e300}));
        m.putArray("a.bool", new MetadataArray(ValueType.BOOL, new boolean[]{true, false}));
        m.putStringArray("tokenizer.ggml.tokens", new String[]{"[PAD]", "", "▁the", "##s"});
        m.putArray("a.nested", new MetadataArray(ValueType.ARRAY, new MetadataArray[]{
                new MetadataArray(ValueType.INT32, new int[]{1}),
                new MetadataArray(ValueType.STRING, new String[]{"x", "y"}),
                new MetadataArray(ValueType.ARRAY, new MetadataArray[0])}));
        m.putArray("a.empty", new MetadataArray(ValueType.STRING, new String[0]));
        return m;
    }

    static byte[] randomBytes(Random r, long n) {
        byte[] b = new byte[(int) n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void everyValueTypeAndTensorSurvivesARoundTrip() throws IOException {
        for (int alignment : new int[]{32, 64, 1}) {
            Metadata m = everyType();
            if (alignment != 32) m.putUInt32("general.alignment", alignment);
            GgufWriter w = new GgufWriter(m);
            Random r = new Random(alignment);
            List<byte[]> payloads = new ArrayList<>();
            Object[][] specs = {{"a", GgmlType.F32, new long[]{3, 5}}, {"b", GgmlType.Q4_K, new long[]{256, 2}},
                    {"c", GgmlType.Q8_0, new long[]{32}}, {"d", GgmlType.F16, new long[]{7, 1, 1, 3}}, {"e", GgmlType.IQ2_XXS, new long[]{256}},
                    {"empty", GgmlType.F32, new long[]{0, 4}}};
            for (Object[] s : specs) {
                GgmlType t = (GgmlType) s[1];
                long[] dims = (long[]) s[2];
                long n = 1;
                for (long d : dims) n *= d;
                byte[] data = randomBytes(r, t.bytesFor(n));
                payloads.add(data);
                w.addTensor((String) s[0], t, dims, MemorySegment.ofArray(data));
            }
            Path file = dir.resolve("rt" + alignment + ".gguf");
            w.write(file);

            try (GgufFile g = GgufFile.open(file)) {
                assertEquals(3, g.version());
                assertEquals(alignment, g.alignment());
                assertEquals(m, g.metadata());
                assertEquals(List.copyOf(m.keys()), List.copyOf(g.metadata().keys()), "key order");
                assertEquals(0, g.dataOffset() % alignment);
                assertEquals(w.tensorInfos(), g.tensors());
                for (int i = 0; i < specs.length; i++) {
                    TensorInfo t = g.tensors().get(i);
                    assertEquals(specs[i][0], t.name());
                    assertEquals(0, t.offset() % alignment);
                    assertArrayEquals(payloads.get(i), g.data(t).toArray(ValueLayout.JAVA_BYTE), t.name());
                }
                // Padding between header and data, and between tensors, is zero.
                byte[] all = Files.readAllBytes(file);
                for (int i = 0; i + 1 < specs.length; i++) {
                    TensorInfo t = g.tensors().get(i);
                    long end = g.dataOffset() + t.offset() + t.byteSize();
                    long next = g.dataOffset() + g.tensors().get(i + 1).offset();
                    for (long p = end; p < next; p++) assertEquals(0, all[(int) p]);
                }
                assertEquals(6, g.metadata().getInt("bert.block_count"));
                assertEquals(-1L, (long) (Long) g.metadata().get("u64").value());
                assertEquals(200, g.metadata().getInt("u8"));
                assertEquals(60000, g.metadata().getInt("u16"));
                assertArrayEquals(new int[]{1, 255}, g.metadata().getIntArray("a.u8"));
                assertArrayEquals(new String[]{"[PAD]", "", "▁the", "##s"}, g.metadata().getStringArray("tokenizer.ggml.tokens"));
                assertThrows(NoSuchElementException.class, () -> g.metadata().getInt("missing.key"));
                assertThrows(IllegalStateException.class, () -> g.metadata().getInt("unicode"));
                assertThrows(IllegalStateException.class, () -> g.metadata().getInt("u64"));
            }
        }
    }

    @Test
    void streamAndFileOutputsAreIdentical() throws IOException {
        GgufWriter w = new GgufWriter(everyType());
        w.addTensor("x", new float[]{1, 2, 3, 4}, 2, 2);
        Path file = dir.resolve("x.gguf");
        w.write(file);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        w.write(bos, (i, n, t) -> { });
        assertArrayEquals(Files.readAllBytes(file), bos.toByteArray());
    }

    @Test
    void aFailingTensorSourceLeavesNoFileBehind() throws IOException {
        GgufWriter w = new GgufWriter(new Metadata());
        w.addTensor("bad", GgmlType.F32, new long[]{4}, out -> { out.write(new byte[8]); throw new IOException("disk on fire"); });
        Path out = dir.resolve("out.gguf");
        assertThrows(IOException.class, () -> w.write(out));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void aSourceWritingTheWrongByteCountIsRefused() {
        GgufWriter w = new GgufWriter(new Metadata());
        w.addTensor("short", GgmlType.F32, new long[]{4}, out -> out.write(new byte[12]));
        IOException e = assertThrows(IOException.class, () -> w.write(dir.resolve("s.gguf")));
        assertEquals("tensor 'short' produced 12 bytes, expected 16", e.getMessage());
    }
}
