package dev.koboldj.server.cli;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.imports.HfTokenizerImporter;
import dev.koboldj.engine.imports.onnx.BertOnnxImporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code koboldj import model.onnx tokenizer.json out.gguf}: a sentence-transformers BERT in ONNX to GGUF. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Convert a sentence-transformers BERT model exported to ONNX, with its Hugging Face tokenizer.json,"
                + " into a GGUF embedding model laid out as llama.cpp's converter writes it.",
                "OUT is written to a temporary file and renamed when complete: a failure leaves no partial OUT."})
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model (weights stored inside the file).")
    Path onnx;

    @Parameters(index = "1", paramLabel = "TOKENIZER.json", description = "The model's Hugging Face tokenizer.json.")
    Path tokenizer;

    @Parameters(index = "2", paramLabel = "OUT.gguf", description = "The GGUF file to write.")
    Path out;

    @Option(names = "--type", defaultValue = "f32", converter = QuantizeCommand.TypeConverter.class,
            description = "Type of the weight matrices (as for quantize, e.g. f32, f16, q8_0). Default: ${DEFAULT-VALUE}.")
    GgmlType type;

    @Option(names = "--pooling", defaultValue = "mean",
            description = "The model's pooling, as its sentence-transformers 1_Pooling/config.json says: mean or cls. Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--name", description = "general.name to record (default: the ONNX file's name).")
    String name;

    @Option(names = "--tokenizer-config", paramLabel = "FILE", description = "tokenizer_config.json, where the special-token flags live.")
    Path tokenizerConfig;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        for (Path p : new Path[]{onnx, tokenizer, tokenizerConfig}) {
            if (p != null && !Files.isRegularFile(p)) throw new IOException(p + " does not exist or is not a file");
        }
        if (Files.exists(out) && Files.isSameFile(out, onnx)) throw new IOException("OUT must not be the input file");
        Pooling p = Pooling.parse(pooling);
        if (p != Pooling.MEAN && p != Pooling.CLS) throw new IllegalArgumentException("--pooling must be mean or cls, not " + pooling);
        String modelName = name != null ? name : onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        Metadata vocab = HfTokenizerImporter.importTokenizer(tokenizer, tokenizerConfig);
        GgufWriter writer = BertOnnxImporter.convert(onnx, vocab, new BertOnnxImporter.Options(type, p, modelName));
        ProgressBar[] bar = {null};
        try {
            writer.write(out, (i, n, t) -> {
                if (quiet) return;
                if (bar[0] == null) bar[0] = ProgressBars.on(err, "import", " tensors", 1, n);
                bar[0].stepTo(i + 1);
            });
        } finally {
            ProgressBars.finish(bar[0], err);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %s, %d tensors, %s weights, %s pooling, %d-token vocabulary%n", out, modelName,
                writer.tensorInfos().size(), type, p.name().toLowerCase(Locale.ROOT), vocab.getStringArray("tokenizer.ggml.tokens").length);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
