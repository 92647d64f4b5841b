package dev.koboldj.server.cli;

import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.quant.ModelQuantizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code koboldj quantize IN.gguf OUT.gguf TYPE}: a thin wrapper over {@link ModelQuantizer}. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Re-encode a GGUF model's weights in another tensor type (like llama-quantize --pure).",
                "Norms, biases and other 1-D tensors, positional and token-type embeddings are copied unchanged;"
                        + " weights whose rows do not fit the type's blocks fall back as in llama.cpp"
                        + " (Q4_K -> Q5_0, Q5_K -> Q5_1, Q6_K -> Q8_0, Q2_K/Q3_K -> Q4_0, else F16).",
                "OUT is written to a temporary file and renamed when complete: a failure leaves no partial OUT."})
public final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN.gguf", description = "The model to read.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT.gguf", description = "The file to write (must differ from IN).")
    Path out;

    @Parameters(index = "2", paramLabel = "TYPE", converter = TypeConverter.class, completionCandidates = TypeNames.class,
            description = "Target type, case-insensitive: ${COMPLETION-CANDIDATES}.")
    GgmlType type;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        ProgressBar[] bar = {null}; // created on the first update, so refusals print no bar
        ModelQuantizer.Plan plan;
        try {
            plan = ModelQuantizer.quantize(in, this.out, type, (t, i, n, done, total) -> {
                if (quiet) return;
                if (bar[0] == null) bar[0] = ProgressBars.on(err, "quantize " + type, "MiB", 1 << 20, total);
                bar[0].stepTo(done);
                bar[0].setExtraMessage(t.input().name());
            });
        } finally {
            ProgressBars.finish(bar[0], err);
        }
        // One note per fallback type, naming a few of its tensors (a MiniLM-sized model has dozens).
        Map<GgmlType, List<String>> fallbacks = new TreeMap<>();
        for (var p : plan.fallbacks()) fallbacks.computeIfAbsent(p.outputType(), k -> new ArrayList<>()).add(p.input().name());
        fallbacks.forEach((t, names) -> err.println("note: " + names.size() + " tensor(s) with rows that are not a multiple of "
                + type.blockSize + " written as " + t + " instead (as llama.cpp does): " + String.join(", ", names.subList(0, Math.min(4, names.size())))
                + (names.size() > 4 ? ", ..." : "")));
        if (!plan.requantized().isEmpty()) {
            err.println("warning: " + plan.requantized().size() + " tensor(s) were already quantized and were re-quantized; their errors add up");
        }
        out.printf(Locale.ROOT, "wrote %s: %d tensors, %d converted, %d copied unchanged; %s -> %s, file type %s%n",
                this.out, plan.tensors().size(), plan.converted(), plan.tensors().size() - plan.converted(),
                Sizes.bytes(plan.inputBytes()), Sizes.bytes(plan.outputBytes()), plan.fileType().displayName);
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    /** Lower-case names of the types a model can be quantized to. */
    static final class TypeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ModelQuantizer.TARGETS.keySet().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).iterator();
        }
    }

    static final class TypeConverter implements CommandLine.ITypeConverter<GgmlType> {
        @Override
        public GgmlType convert(String value) {
            GgmlType t = ModelQuantizer.target(value);
            if (t == null) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a type koboldj can quantize to (choose from "
                        + String.join(", ", new TypeNames()) + ")");
            }
            return t;
        }
    }
}
