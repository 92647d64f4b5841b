package dev.koboldj.engine.tokenizer;

import dev.koboldj.engine.imports.HfTokenizerImporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints single-thread encoding throughput (chars/s) on ../shared/data/corpus-en-1000.txt for every vocabulary the
 * tests use; no timing is asserted anywhere. Run from the worktree root after {@code ./mvnw -pl engine test-compile}:
 * <pre>
 * java -cp engine/target/classes:engine/target/test-classes:$(./mvnw -q -pl engine dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout) dev.koboldj.engine.tokenizer.TokenizerThroughputReport [../shared]
 * </pre>
 * A JMH benchmark is to follow in bench/.
 */
public final class TokenizerThroughputReport {
    private TokenizerThroughputReport() {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        System.setProperty("koboldj.shared", shared.toString());
        List<String> lines = Files.readAllLines(shared.resolve("data/corpus-en-1000.txt"), StandardCharsets.UTF_8);
        long chars = lines.stream().mapToLong(String::length).sum();
        Map<String, Tokenizer> tokenizers = new LinkedHashMap<>();
        tokenizers.put("WordPiece all-MiniLM-L6-v2", Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(TestTexts.resource("all-minilm-l6-v2-tokenizer.json"), null)));
        tokenizers.put("WordPiece bge-small-zh-v1.5", Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(TestTexts.resource("bge-small-zh-v1.5-tokenizer.json"), null)));
        tokenizers.put("BPE Qwen3", Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(TestTexts.shared("data/tokenizers/qwen3.tokenizer.json.xz"), null)));
        tokenizers.put("BPE Llama-3", Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(TestTexts.shared("data/tokenizers/llama3.tokenizer.json.xz"), null)));
        tokenizers.put("SentencePiece Llama-2", Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(TestTexts.shared("data/tokenizers/llama2.tokenizer.json.xz"), null)));
        tokenizers.put("Unigram (constructed)", Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(UnigramFixture.json(false), null)));
        List<String> report = new ArrayList<>();
        for (Map.Entry<String, Tokenizer> e : tokenizers.entrySet()) {
            Tokenizer t = e.getValue();
            long tokens = 0;
            for (int warm = 0; warm < 30; warm++) for (String line : lines) tokens += t.encode(line).length;
            int passes = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                for (String line : lines) tokens += t.encode(line).length;
                passes++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < 3_000_000_000L);
            double charsPerSecond = chars * passes / (elapsed / 1e9);
            report.add(String.format("%-30s %6.2f M chars/s  (%d passes over %d chars, %d tokens in total)", e.getKey(), charsPerSecond / 1e6, passes, chars, tokens));
            System.out.println(report.getLast());
        }
    }
}
