package dev.koboldj.engine.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.gguf.TensorInfo;
import dev.koboldj.engine.gguf.ValueType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelQuantizerTest {
    @TempDir
    Path dir;

    /** One synthetic tensor: its name, stored type, GGUF dims, and the float values it encodes. */
    record Spec(String name, GgmlType type, long[] dims, float[] values) {
    }

    /** A small BERT-shaped model with the shapes and names the selection rules care about. */
    static List<Spec> specs() {
        List<Spec> s = new ArrayList<>();
        s.add(spec("token_embd.weight", GgmlType.F32, 1, 64, 100));           // rows of 64: K-quants fall back
        s.add(spec("position_embd.weight", GgmlType.F32, 2, 256, 16));        // kept (positional embedding)
        s.add(spec("token_types.weight", GgmlType.F32, 3, 256, 2));           // kept (token types)
        s.add(spec("token_embd_norm.weight", GgmlType.F32, 4, 256));          // 1-D
        s.add(spec("blk.0.attn_q.weight", GgmlType.F32, 5, 256, 64));
        s.add(spec("blk.0.attn_q.bias", GgmlType.F32, 6, 256));               // 1-D
        s.add(spec("blk.0.attn_k.weight", GgmlType.F32, 7, 256, 4, 1));       // trailing 1: still 2-D
        s.add(spec("blk.0.layer_scale.weight", GgmlType.F32, 8, 256, 1));     // trailing 1: effectively 1-D
        s.add(spec("blk.0.attn_output_norm.weight", GgmlType.F32, 9, 256, 2)); // 2-D norm: kept
        s.add(spec("blk.0.ffn_up.weight", GgmlType.F16, 10, 512, 8));         // F16 input
        s.add(spec("blk.0.ffn_down.weight", GgmlType.Q8_0, 11, 256, 8));      // already quantized input
        s.add(spec("blk.0.odd.weight", GgmlType.F32, 12, 40, 3));             // rows of 40: F16 fallback
        s.add(spec("blk.0.empty.weight", GgmlType.F32, 13, 256, 0));          // no elements
        s.add(spec("cls.output", GgmlType.F32, 14, 256, 2));                  // not a weight
        return s;
    }

    static Spec spec(String name, GgmlType type, long seed, long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        float[] v = Blocks.gaussian(seed, (int) n, 1.0);
        if (type != GgmlType.F32) v = ErrorBoundsTest.roundTrip(type, v); // the values the stored bytes really hold
        return new Spec(name, type, dims, v);
    }

    static Metadata metadata() {
        Metadata m = new Metadata();
        m.putString("general.architecture", "bert");
        m.putString("general.name", "tiny");
        m.putUInt32("general.file_type", 0);
        m.putUInt32("bert.block_count", 1);
        m.putUInt32("bert.embedding_length", 256);
        m.putStringArray("tokenizer.ggml.tokens", new String[]{"[PAD]", "a", "b"});
        m.putFloatArray("some.floats", new float[]{1.5f, -2f});
        return m;
    }

    static Path write(Path file, Metadata m, List<Spec> specs) throws IOException {
        GgufWriter w = new GgufWriter(m);
        for (Spec s : specs) {
            MemorySegment data = MemorySegment.ofArray(new byte[(int) s.type.bytesFor(s.values.length)]);
            Quants.quantizer(s.type).quantize(s.values, 0, s.values.length, data, 0);
            w.addTensor(s.name, s.type, s.dims, data);
        }
        w.write(file);
        return file;
    }

    /**
     * The type each tensor must end up in, worked out from the rules in llama-quant.cpp (stated in
     * {@link TensorSelection}), independently of that class: kept tensors keep their type; rows of 64 cannot hold a
     * 256-block, so K-quants fall back (Q2_K/Q3_K to Q4_0, Q4_K to Q5_0, Q5_K to Q5_1, Q6_K to Q8_0); rows of 40
     * hold no 32-block either, so every block target falls back to F16.
     */
    static GgmlType expectedType(Spec s, GgmlType target) {
        return switch (s.name) {
            case "position_embd.weight", "token_types.weight", "token_embd_norm.weight", "blk.0.attn_q.bias",
                 "blk.0.layer_scale.weight", "blk.0.attn_output_norm.weight", "cls.output" -> s.type;
            case "token_embd.weight" -> switch (target) {
                case Q2_K, Q3_K -> GgmlType.Q4_0;
                case Q4_K -> GgmlType.Q5_0;
                case Q5_K -> GgmlType.Q5_1;
                case Q6_K -> GgmlType.Q8_0;
                default -> target;
            };
            case "blk.0.odd.weight" -> target.isQuantized() ? GgmlType.F16 : target;
            default -> target;
        };
    }

    static Stream<GgmlType> targets() {
        return ModelQuantizer.TARGETS.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void quantizesEachTensorAsLlamaCppWouldAndKeepsMetadata(GgmlType target) throws IOException {
        List<Spec> specs = specs();
        Path in = write(dir.resolve("in.gguf"), metadata(), specs);
        Path out = dir.resolve("out-" + target + ".gguf");
        List<Long> progress = new ArrayList<>();
        ModelQuantizer.Plan plan = ModelQuantizer.quantize(in, out, target, (t, i, n, done, total) -> progress.add(done));

        assertFalse(progress.isEmpty());
        for (int i = 1; i < progress.size(); i++) assertTrue(progress.get(i) >= progress.get(i - 1), "progress never goes back");
        assertEquals(plan.inputBytes(), progress.getLast());

        try (GgufFile src = GgufFile.open(in); GgufFile q = GgufFile.open(out)) {
            // Metadata: everything copied, file type and quantization version set.
            Map<String, Metadata.Value> expected = new LinkedHashMap<>(src.metadata().entries());
            expected.put("general.file_type", new Metadata.Value(ValueType.UINT32, ModelQuantizer.TARGETS.get(target).id));
            expected.put("general.quantization_version", new Metadata.Value(ValueType.UINT32, 2));
            assertEquals(expected, q.metadata().entries());

            assertEquals(specs.size(), q.tensors().size());
            for (int i = 0; i < specs.size(); i++) {
                Spec s = specs.get(i);
                TensorInfo t = q.tensors().get(i);
                assertEquals(s.name, t.name(), "tensor order");
                assertArrayEquals(s.dims, t.dims(), s.name);
                GgmlType want = expectedType(s, target);
                assertEquals(want, t.type(), s.name + " quantized to " + target);
                if (want == s.type) {
                    assertEquals(src.data(s.name).mismatch(q.data(t)), -1L, s.name + " must be copied byte for byte");
                } else {
                    float[] got = Quants.dequantizeAll(q.data(t), want, t.elementCount());
                    if (got.length == 0) continue;
                    double bound = ErrorBoundsTest.bounds().filter(a -> a.get()[0] == want).map(a -> (Double) a.get()[1]).findFirst().orElseThrow();
                    double err = Blocks.relRms(s.values, got, 0, got.length);
                    assertTrue(err <= bound, s.name + " as " + want + ": relative RMS error " + err + " > " + bound);
                }
            }
        }
    }

    @Test
    void aFailingWriteLeavesNoOutputAndKeepsAnExistingOne() throws IOException {
        Path in = write(dir.resolve("in.gguf"), metadata(), specs());
        Path fresh = dir.resolve("fresh.gguf");
        ModelQuantizer.Progress failOnThird = (t, i, n, done, total) -> {
            if (i == 2) throw new IllegalStateException("disk full (simulated)");
        };
        var e = assertThrows(IllegalStateException.class, () -> ModelQuantizer.quantize(in, fresh, GgmlType.Q8_0, failOnThird));
        assertEquals("disk full (simulated)", e.getMessage());
        assertFalse(Files.exists(fresh));

        Path existing = Files.writeString(dir.resolve("existing.gguf"), "previous content");
        assertThrows(IllegalStateException.class, () -> ModelQuantizer.quantize(in, existing, GgmlType.Q4_K, failOnThird));
        assertEquals("previous content", Files.readString(existing));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("existing.gguf", "in.gguf"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void refusesToOverwriteTheInput() throws IOException {
        Path in = write(dir.resolve("in.gguf"), metadata(), specs());
        byte[] before = Files.readAllBytes(in);
        for (Path out : new Path[]{in, dir.resolve(".").resolve("in.gguf"), dir.resolve("sub").resolve("..").resolve("in.gguf")}) {
            var e = assertThrows(IllegalArgumentException.class, () -> ModelQuantizer.quantize(in, out, GgmlType.Q8_0, (t, i, n, d, s) -> { }));
            assertTrue(e.getMessage().contains("must differ from the input"), e.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(in));
    }

    @Test
    void refusesTensorsItCannotDecodeButCopiesThemWhenKept() throws IOException {
        Path in = dir.resolve("iq.gguf");
        GgufWriter w = new GgufWriter(metadata());
        w.addTensor("blk.0.attn_q.weight", GgmlType.IQ2_XXS, new long[]{256, 2}, MemorySegment.ofArray(new byte[2 * 66]));
        w.write(in);
        Path out = dir.resolve("out.gguf");
        var e = assertThrows(UnsupportedTensorTypeException.class, () -> ModelQuantizer.quantize(in, out, GgmlType.Q8_0, (t, i, n, d, s) -> { }));
        assertEquals(GgmlType.IQ2_XXS, e.type());
        assertTrue(e.getMessage().startsWith("tensor 'blk.0.attn_q.weight' is IQ2_XXS, which koboldj cannot dequantize yet"), e.getMessage());
        assertFalse(Files.exists(out));

        // The same type in a tensor that is copied unchanged is no obstacle.
        Path kept = dir.resolve("kept.gguf");
        GgufWriter w2 = new GgufWriter(metadata());
        w2.addTensor("blk.0.attn_q.bias", GgmlType.IQ2_XXS, new long[]{256}, MemorySegment.ofArray(new byte[66]));
        w2.write(kept);
        ModelQuantizer.quantize(kept, out, GgmlType.Q8_0, (t, i, n, d, s) -> { });
        try (GgufFile q = GgufFile.open(out)) {
            assertEquals(GgmlType.IQ2_XXS, q.tensor("blk.0.attn_q.bias").type());
        }
    }

    @Test
    void refusesSplitFilesAndUnsupportedTargets() throws IOException {
        Metadata m = metadata();
        m.put("split.count", ValueType.UINT16, (short) 3);
        Path in = write(dir.resolve("part.gguf"), m, specs().subList(0, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> ModelQuantizer.quantize(in, dir.resolve("o.gguf"), GgmlType.Q8_0, (t, i, n, d, s) -> { }));
        assertTrue(e.getMessage().contains("split GGUF model"), e.getMessage());
        try (GgufFile f = GgufFile.open(in)) {
            assertThrows(IllegalArgumentException.class, () -> ModelQuantizer.plan(f, GgmlType.Q8_K));
        }
        assertEquals(GgmlType.Q4_K, ModelQuantizer.target("q4_k"));
        assertEquals(GgmlType.BF16, ModelQuantizer.target("BF16"));
        assertEquals(null, ModelQuantizer.target("iq2_xxs"));
        assertEquals(null, ModelQuantizer.target("q4_k_m"));
    }

    @Test
    void planReportsFallbacksAndRequantizedTensors() throws IOException {
        Path in = write(dir.resolve("in.gguf"), metadata(), specs());
        try (GgufFile f = GgufFile.open(in)) {
            ModelQuantizer.Plan plan = ModelQuantizer.plan(f, GgmlType.Q4_K);
            assertEquals(List.of("token_embd.weight", "blk.0.odd.weight"), plan.fallbacks().stream().map(p -> p.input().name()).toList());
            assertEquals(List.of("blk.0.ffn_down.weight"), plan.requantized().stream().map(p -> p.input().name()).toList());
            assertEquals(plan.tensors().stream().mapToLong(p -> p.input().byteSize()).sum(), plan.inputBytes());
        }
    }

    @Test
    void largeTensorsAreStreamedInChunksWithTheSameBytes() throws IOException {
        // 2^20 + 2 * 4096 elements: more than one chunk, the last one partial.
        Spec big = spec("blk.0.big.weight", GgmlType.F32, 40, 4096, 258);
        Path in = write(dir.resolve("big.gguf"), metadata(), List.of(big));
        Path out = dir.resolve("big-q4k.gguf");
        ModelQuantizer.quantize(in, out, GgmlType.Q4_K, (t, i, n, d, s) -> { });
        MemorySegment direct = MemorySegment.ofArray(new byte[(int) GgmlType.Q4_K.bytesFor(big.values.length)]);
        Quants.quantizer(GgmlType.Q4_K).quantize(big.values, 0, big.values.length, direct, 0);
        try (GgufFile q = GgufFile.open(out)) {
            assertArrayEquals(direct.toArray(ValueLayout.JAVA_BYTE), q.data("blk.0.big.weight").toArray(ValueLayout.JAVA_BYTE));
        }
    }
}
