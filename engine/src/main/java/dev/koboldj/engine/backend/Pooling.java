package dev.koboldj.engine.backend;

/** How a sequence's hidden states become one vector; ids are GGUF's {@code <arch>.pooling_type} values. */
public enum Pooling {
    NONE(0), MEAN(1), CLS(2), LAST(3), RANK(4);

    public final int ggufId;

    Pooling(int ggufId) {
        this.ggufId = ggufId;
    }

    /** The pooling for a GGUF pooling_type id, or null when the id is unknown or unspecified (-1). */
    public static Pooling byGgufId(int id) {
        for (Pooling p : values()) if (p.ggufId == id) return p;
        return null;
    }

    /** Parses "mean", "cls", ... (case-insensitive). */
    public static Pooling parse(String name) {
        for (Pooling p : values()) if (p.name().equalsIgnoreCase(name)) return p;
        throw new IllegalArgumentException("unknown pooling '" + name + "' (expected one of none, mean, cls, last, rank)");
    }
}
