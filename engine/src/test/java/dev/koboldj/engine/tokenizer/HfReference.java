package dev.koboldj.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The oracle: Hugging Face tokenizers (through DJL's JNI binding) on a tokenizer.json, without truncation or padding. */
final class HfReference implements AutoCloseable {
    private final HuggingFaceTokenizer withSpecial;
    private final HuggingFaceTokenizer withoutSpecial;

    private HfReference(Path json) throws IOException {
        withSpecial = build(json, true);
        withoutSpecial = build(json, false);
    }

    private static HuggingFaceTokenizer build(Path json, boolean addSpecial) throws IOException {
        return HuggingFaceTokenizer.builder().optTokenizerPath(json).optAddSpecialTokens(addSpecial)
                .optTruncation(false).optPadding(false).optDoLowerCase(false).build();
    }

    static HfReference of(Path json) {
        try {
            return new HfReference(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code json} to a temporary file and loads it. */
    static HfReference ofJson(String json) {
        try {
            Path p = Files.createTempFile("tokenizer", ".json");
            p.toFile().deleteOnExit();
            Files.writeString(p, json);
            return of(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int[] encode(String text, boolean addSpecial) {
        long[] ids = (addSpecial ? withSpecial : withoutSpecial).encode(text).getIds();
        int[] r = new int[ids.length];
        for (int i = 0; i < ids.length; i++) r[i] = Math.toIntExact(ids[i]);
        return r;
    }

    /** Per token, Hugging Face's offsets {start, end} of its source text (null for tokens added around the text). */
    int[][] spans(String text, boolean addSpecial) {
        ai.djl.huggingface.tokenizers.jni.CharSpan[] spans = (addSpecial ? withSpecial : withoutSpecial).encode(text).getCharTokenSpans();
        int[][] r = new int[spans.length][];
        for (int i = 0; i < spans.length; i++) r[i] = spans[i] == null ? null : new int[]{spans[i].getStart(), spans[i].getEnd()};
        return r;
    }

    String[] tokens(String text) {
        return withoutSpecial.encode(text).getTokens();
    }

    /** Decoding with skip_special_tokens=true. */
    String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) l[i] = ids[i];
        return withSpecial.decode(l, true);
    }

    @Override
    public void close() {
        withSpecial.close();
        withoutSpecial.close();
    }
}
