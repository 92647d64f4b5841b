package dev.koboldj.engine.backend;

import dev.koboldj.engine.gguf.GgmlType;

/** A weight uploaded to a backend by {@link Backend#upload(WeightTensor)}: {@link #rows()} rows of {@link #cols()} elements. */
public interface DeviceWeights {
    String name();

    GgmlType type();

    int rows();

    int cols();

    /** Bytes this weight occupies on the backend (host bytes for a zero-copy CPU weight). */
    long bytes();
}
