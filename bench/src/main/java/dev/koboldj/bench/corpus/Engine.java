package dev.koboldj.bench.corpus;

import java.util.List;

/** One way to compute embeddings, as a Java user would call it. */
interface Engine extends AutoCloseable {
    String name();

    /** Embeddings of all texts (tokenisation included), as the engine's API batches them. */
    List<float[]> embedAll(List<String> texts);

    /** The embedding of one text (the single-query latency path). */
    float[] embedOne(String text);

    @Override
    void close();
}
