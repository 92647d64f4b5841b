package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * llama.cpp's own ggml quantizers, called through the FFM API. The test-scope artifact de.kherud:llama ships
 * llama.cpp (March 2025) as one shared library, libjllama.so, which exports ggml's C functions
 * {@code quantize_row_<type>_ref}, {@code dequantize_row_<type>}, {@code ggml_fp32_to_fp16_row} and friends;
 * this class extracts it and binds them. Only the Linux x86_64 build is used (the one CI runs on); elsewhere
 * {@link #load()} returns null and the tests that need it are skipped.
 */
@SuppressWarnings("restricted") // native calls into llama.cpp are the point of this class
final class GgmlNative {
    private static final String RESOURCE = "de/kherud/llama/Linux/x86_64/libjllama.so";
    private static GgmlNative instance;
    private static String unavailable;

    private final SymbolLookup lookup;
    private final Linker linker = Linker.nativeLinker();
    private final FunctionDescriptor rowFn = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);

    private GgmlNative(SymbolLookup lookup) {
        this.lookup = lookup;
    }

    /** The bound library, or null (see {@link #whyUnavailable()}). */
    static synchronized GgmlNative load() {
        if (instance != null || unavailable != null) return instance;
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            unavailable = "llama.cpp oracle needs Linux x86_64 (this is " + os + " " + arch + ")";
            return null;
        }
        try (InputStream in = GgmlNative.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                unavailable = "de.kherud:llama's " + RESOURCE + " is not on the test class path";
                return null;
            }
            Path lib = Files.createTempFile("koboldj-ggml-oracle", ".so");
            lib.toFile().deleteOnExit();
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            GgmlNative g = new GgmlNative(SymbolLookup.libraryLookup(lib, Arena.global()));
            // ggml's GGML_FP16_TO_FP32 reads a lookup table that ggml_cpu_init fills; the K-quant encoders use it too.
            g.linker.downcallHandle(g.lookup.find("ggml_cpu_init").orElseThrow(), FunctionDescriptor.ofVoid()).invokeExact();
            instance = g;
            return instance;
        } catch (Throwable e) {
            unavailable = "cannot load llama.cpp's library: " + e;
            return null;
        }
    }

    static String whyUnavailable() {
        return unavailable;
    }

    private MethodHandle row(String name) {
        MemorySegment fn = lookup.find(name).orElseThrow(() -> new IllegalStateException("llama.cpp library has no symbol " + name));
        return linker.downcallHandle(fn, rowFn);
    }

    private static String ggmlName(GgmlType t) {
        // ggml's C names: q4_0, q4_K (capital K for the K-quants)
        String n = t.name().toLowerCase(Locale.ROOT);
        return n.endsWith("_k") ? n.substring(0, n.length() - 1) + "K" : n;
    }

    /** ggml's encoding of {@code x} as {@code t}: quantize_row_*_ref, or the fp16/bf16 row converters. */
    byte[] quantize(GgmlType t, float[] x) {
        String fn = switch (t) {
            case F16 -> "ggml_fp32_to_fp16_row";
            case BF16 -> "ggml_fp32_to_bf16_row_ref";
            default -> "quantize_row_" + ggmlName(t) + "_ref";
        };
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocateFrom(ValueLayout.JAVA_FLOAT, x);
            MemorySegment dst = a.allocate(t.bytesFor(x.length));
            row(fn).invokeExact(src, dst, (long) x.length);
            return dst.toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable e) {
            throw new AssertionError(fn + " failed", e);
        }
    }

    /** ggml's decoding of {@code n} elements of type {@code t}. */
    float[] dequantize(GgmlType t, byte[] data, int n) {
        String fn = switch (t) {
            case F16 -> "ggml_fp16_to_fp32_row";
            case BF16 -> "ggml_bf16_to_fp32_row";
            default -> "dequantize_row_" + ggmlName(t);
        };
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocateFrom(ValueLayout.JAVA_BYTE, data);
            MemorySegment dst = a.allocate(ValueLayout.JAVA_FLOAT, n);
            row(fn).invokeExact(src, dst, (long) n);
            return dst.toArray(ValueLayout.JAVA_FLOAT);
        } catch (Throwable e) {
            throw new AssertionError(fn + " failed", e);
        }
    }
}
