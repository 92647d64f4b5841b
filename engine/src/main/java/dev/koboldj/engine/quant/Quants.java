package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The codec registry: which ggml types koboldj can compute with and which it can write. */
public final class Quants {
    private static final Map<GgmlType, QuantCodec> CODECS = new EnumMap<>(GgmlType.class);

    static {
        for (QuantCodec c : List.<QuantCodec>of(new F32Codec(), new F16Codec(), new BF16Codec(),
                new Q4_0Codec(), new Q4_1Codec(), new Q5_0Codec(), new Q5_1Codec(), new Q8_0Codec(),
                new Q2_KCodec(), new Q3_KCodec(), new Q4_KCodec(), new Q5_KCodec(), new Q6_KCodec(), new Q8_KCodec())) {
            CODECS.put(c.type(), c);
        }
    }

    private Quants() {
    }

    /** The codec for {@code t}; throws {@link UnsupportedTensorTypeException} for types koboldj cannot decode. */
    public static QuantCodec codec(GgmlType t) {
        QuantCodec c = CODECS.get(t);
        if (c == null) {
            throw new UnsupportedTensorTypeException(t, "tensor type " + t + " cannot be computed by koboldj yet (supported: " + names(false) + ")");
        }
        return c;
    }

    /** The encoder for {@code t}; throws {@link UnsupportedTensorTypeException} for types koboldj cannot write. */
    public static Quantizer quantizer(GgmlType t) {
        if (CODECS.get(t) instanceof Quantizer q) return q;
        throw new UnsupportedTensorTypeException(t, "tensor type " + t + " cannot be written by koboldj yet (supported: " + names(true) + ")");
    }

    public static boolean canCompute(GgmlType t) {
        return CODECS.containsKey(t);
    }

    public static boolean canQuantize(GgmlType t) {
        return CODECS.get(t) instanceof Quantizer;
    }

    /** Decodes {@code count} elements of type {@code t} from the start of {@code src} into a new array. */
    public static float[] dequantizeAll(MemorySegment src, GgmlType t, long count) {
        if (count < 0 || count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " elements do not fit one float array");
        }
        float[] out = new float[(int) count];
        codec(t).dequantize(src, 0, out, 0, (int) count);
        return out;
    }

    private static String names(boolean writable) {
        return CODECS.values().stream().filter(c -> !writable || c instanceof Quantizer)
                .map(c -> c.type().name()).collect(Collectors.joining(", "));
    }
}
