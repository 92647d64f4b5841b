package dev.koboldj.bench.tokenizer;

import dev.koboldj.engine.imports.HfTokenizerImporter;
import dev.koboldj.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tukaani.xz.XZInputStream;

/**
 * {@code koboldj bench tokenizers [--shared DIR] [--seconds N] [--json]}: single-thread encoding throughput, in
 * characters and tokens per second, of each tokenizer family on the English corpus (../shared/data). Vocabularies:
 * all-MiniLM-L6-v2's WordPiece (from the Maven artifact) and, where ../shared is present, Qwen3 and Llama-3
 * (byte-level BPE) and Llama-2 (SentencePiece BPE). Each is warmed up, then timed in several repetitions; the best
 * and the median are reported.
 */
public final class TokenizerBench {
    private TokenizerBench() {
    }

    record Result(String name, String model, double bestCharsPerSecond, double medianCharsPerSecond, double tokensPerSecond) {
    }

    public static void main(String[] args) throws IOException {
        Path shared = Path.of("..", "shared");
        double seconds = 2;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--shared" -> shared = Path.of(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--json" -> json = true;
                default -> {
                    System.out.println("usage: koboldj bench tokenizers [--shared DIR (default ../shared)] [--seconds PER_REPETITION] [--json]");
                    if (!args[i].equals("--help")) System.exit(2);
                    return;
                }
            }
        }
        Path corpusFile = shared.resolve("data/corpus-en-1000.txt");
        if (!Files.isRegularFile(corpusFile)) {
            System.out.println("SKIPPED: " + corpusFile.toAbsolutePath() + " is absent (pass --shared DIR)");
            return;
        }
        List<String> corpus = Files.readAllLines(corpusFile, StandardCharsets.UTF_8);
        Map<String, Tokenizer> tokenizers = new LinkedHashMap<>();
        try (InputStream in = TokenizerBench.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            tokenizers.put("all-MiniLM-L6-v2", Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(in, null)));
        }
        for (String name : List.of("qwen3", "llama3", "llama2")) {
            Path xz = shared.resolve("data/tokenizers/" + name + ".tokenizer.json.xz");
            if (!Files.isRegularFile(xz)) {
                System.out.println("SKIPPED " + name + ": " + xz + " is absent");
                continue;
            }
            try (InputStream in = new XZInputStream(Files.newInputStream(xz))) {
                tokenizers.put(name, Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(in, null)));
            }
        }
        List<Result> results = new ArrayList<>();
        for (var e : tokenizers.entrySet()) results.add(measure(e.getKey(), e.getValue(), corpus, seconds));
        if (json) {
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
            return;
        }
        System.out.printf(Locale.ROOT, "%-18s %-6s %16s %16s %16s%n", "vocabulary", "model", "best M chars/s", "median M chars/s", "M tokens/s");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-18s %-6s %16.2f %16.2f %16.2f%n", r.name, r.model,
                    r.bestCharsPerSecond / 1e6, r.medianCharsPerSecond / 1e6, r.tokensPerSecond / 1e6);
        }
    }

    static Result measure(String name, Tokenizer t, List<String> corpus, double seconds) {
        long chars = corpus.stream().mapToLong(String::length).sum();
        long tokensPerPass = 0;
        for (String line : corpus) tokensPerPass += t.encode(line).length;
        long warmUntil = System.nanoTime() + 3_000_000_000L; // C2 needs a few seconds (PERFORMANCE-NOTES)
        while (System.nanoTime() < warmUntil) for (String line : corpus) t.encode(line);
        double[] rates = new double[5];
        for (int rep = 0; rep < rates.length; rep++) {
            int passes = 0;
            long start = System.nanoTime(), elapsed;
            do {
                for (String line : corpus) t.encode(line);
                passes++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < seconds * 1e9);
            rates[rep] = chars * passes / (elapsed / 1e9);
        }
        Arrays.sort(rates);
        double best = rates[rates.length - 1], median = rates[rates.length / 2];
        return new Result(name, t.model(), best, median, median * tokensPerPass / chars);
    }
}
