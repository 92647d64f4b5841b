package dev.koboldj.engine.gguf;

/**
 * llama.cpp's {@code enum llama_ftype}, the value of {@code general.file_type}: the tensor type most weights of a
 * file use. Ids are llama.h's; names are what llama.cpp prints for them ({@code llama_model_ftype_name}). Retired
 * ids (5, 6, 33-35) are absent; {@link #describe(long)} handles them and the "guessed" flag.
 */
public enum FileType {
    ALL_F32(0, "all F32"),
    MOSTLY_F16(1, "F16"),
    MOSTLY_Q4_0(2, "Q4_0"),
    MOSTLY_Q4_1(3, "Q4_1"),
    MOSTLY_Q4_1_SOME_F16(4, "Q4_1, some F16"),
    MOSTLY_Q8_0(7, "Q8_0"),
    MOSTLY_Q5_0(8, "Q5_0"),
    MOSTLY_Q5_1(9, "Q5_1"),
    MOSTLY_Q2_K(10, "Q2_K - Medium"),
    MOSTLY_Q3_K_S(11, "Q3_K - Small"),
    MOSTLY_Q3_K_M(12, "Q3_K - Medium"),
    MOSTLY_Q3_K_L(13, "Q3_K - Large"),
    MOSTLY_Q4_K_S(14, "Q4_K - Small"),
    MOSTLY_Q4_K_M(15, "Q4_K - Medium"),
    MOSTLY_Q5_K_S(16, "Q5_K - Small"),
    MOSTLY_Q5_K_M(17, "Q5_K - Medium"),
    MOSTLY_Q6_K(18, "Q6_K"),
    MOSTLY_IQ2_XXS(19, "IQ2_XXS - 2.0625 bpw"),
    MOSTLY_IQ2_XS(20, "IQ2_XS - 2.3125 bpw"),
    MOSTLY_Q2_K_S(21, "Q2_K - Small"),
    MOSTLY_IQ3_XS(22, "IQ3_XS - 3.3 bpw"),
    MOSTLY_IQ3_XXS(23, "IQ3_XXS - 3.0625 bpw"),
    MOSTLY_IQ1_S(24, "IQ1_S - 1.5625 bpw"),
    MOSTLY_IQ4_NL(25, "IQ4_NL - 4.5 bpw"),
    MOSTLY_IQ3_S(26, "IQ3_S - 3.4375 bpw"),
    MOSTLY_IQ3_M(27, "IQ3_S mix - 3.66 bpw"),
    MOSTLY_IQ2_S(28, "IQ2_S - 2.5 bpw"),
    MOSTLY_IQ2_M(29, "IQ2_M - 2.7 bpw"),
    MOSTLY_IQ4_XS(30, "IQ4_XS - 4.25 bpw"),
    MOSTLY_IQ1_M(31, "IQ1_M - 1.75 bpw"),
    MOSTLY_BF16(32, "BF16"),
    MOSTLY_TQ1_0(36, "TQ1_0 - 1.69 bpw ternary"),
    MOSTLY_TQ2_0(37, "TQ2_0 - 2.06 bpw ternary"),
    MOSTLY_MXFP4_MOE(38, "MXFP4 MoE");

    /** llama.cpp ORs this into the id when it guessed the type from the tensors (LLAMA_FTYPE_GUESSED). */
    public static final int GUESSED = 1024;

    public final int id;
    /** llama.cpp's display name, e.g. "Q4_K - Medium". */
    public final String displayName;

    FileType(int id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The file type with this id, or null. */
    public static FileType byId(long id) {
        for (FileType f : values()) if (f.id == id) return f;
        return null;
    }

    /** llama.cpp's name for a {@code general.file_type} value, e.g. "Q4_K - Medium", or "unknown (id 99)". */
    public static String describe(long id) {
        if (id >= 0 && (id & GUESSED) != 0) return describe(id & ~GUESSED) + " (guessed)";
        FileType f = byId(id);
        return f != null ? f.displayName : "unknown (id " + id + ")";
    }
}
