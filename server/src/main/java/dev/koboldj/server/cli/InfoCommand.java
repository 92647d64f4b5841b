package dev.koboldj.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.gguf.GgufSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code koboldj info FILE.gguf [--json]}: prints {@link GgufSummary} as a table or as JSON. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show what a GGUF file holds: architecture, sizes, tokenizer, tensor types and the memory it needs.")
public final class InfoCommand implements Callable<Integer> {
    private static final String ABSENT = "absent";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.gguf", description = "The GGUF file to describe.")
    Path file;

    @Option(names = "--json", description = "Print the summary as JSON (absent values are null).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        GgufSummary s;
        try (GgufFile f = GgufFile.open(file)) {
            s = GgufSummary.of(f);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s));
        } else {
            printText(s, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static void printText(GgufSummary s, PrintWriter out) {
        row(out, "file", s.path() + " (" + Sizes.bytes(s.fileSize()) + ", GGUF v" + s.ggufVersion() + ")");
        row(out, "name", or(s.name()));
        row(out, "architecture", or(s.architecture()));
        row(out, "parameters", Sizes.count(s.parameterCount()) + " (" + Sizes.grouped(s.parameterCount()) + ")");
        row(out, "context length", or(s.contextLength()));
        row(out, "embedding size", or(s.embeddingLength()));
        row(out, "layers", or(s.blockCount()));
        row(out, "heads", or(s.headCount()) + " (kv " + or(s.headCountKv()) + ")");
        row(out, "pooling", s.poolingType() == null ? ABSENT : s.poolingName() + " (" + s.poolingType() + ")");
        row(out, "tokenizer", or(s.tokenizerModel()) + ", " + (s.vocabularySize() == null ? "vocabulary size " + ABSENT : s.vocabularySize() + " tokens"));
        row(out, "file type", s.fileType() == null ? ABSENT : s.fileTypeName() + " (" + s.fileType() + ")");
        out.println();
        out.printf(Locale.ROOT, "%-16s %8s %16s %12s%n", "tensor type", "tensors", "elements", "bytes");
        for (GgufSummary.TypeUsage u : s.tensorTypes()) {
            out.printf(Locale.ROOT, "  %-14s %8d %16s %12s%n", u.type(), u.tensors(), Sizes.grouped(u.elements()), Sizes.bytes(u.bytes()));
        }
        out.printf(Locale.ROOT, "  %-14s %8d %16s %12s%n", "total", s.tensorCount(), Sizes.grouped(s.parameterCount()), Sizes.bytes(s.tensorBytes()));
        out.println();
        row(out, "memory to load", "about " + Sizes.bytes(s.estimatedMemoryBytes()) + " = " + Sizes.bytes(s.tensorBytes())
                + " tensors + " + Sizes.bytes(s.estimatedOverheadBytes()) + " estimated");
        row(out, "estimate", s.memoryEstimateRule());
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf(Locale.ROOT, "%-16s %s%n", label, value);
    }

    private static String or(Object v) {
        return v == null ? ABSENT : v.toString();
    }
}
