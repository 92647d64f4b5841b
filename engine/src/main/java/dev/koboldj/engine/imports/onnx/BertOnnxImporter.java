package dev.koboldj.engine.imports.onnx;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.imports.TensorEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a sentence-transformers BERT model exported to ONNX into a GGUF file laid out as llama.cpp's converter
 * writes {@code bert}. Linear weights appear as anonymous {@code onnx::MatMul_N} initializers stored [in][out]; each
 * is named by following the graph to the bias Add it feeds (or the MatMul node's own path when there is no bias),
 * then transposed to GGUF's N rows of K.
 */
public final class BertOnnxImporter {
    /** Import settings: the type of 2-D weights (F32, F16, or a quantized type) and the model's pooling. */
    public record Options(GgmlType weightType, Pooling pooling, String name) {
    }

    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.(.+)\\.(weight|bias)");
    private static final Map<String, String> LAYER_PARTS = Map.of(
            "attention.self.query", "attn_q", "attention.self.key", "attn_k", "attention.self.value", "attn_v",
            "attention.output.dense", "attn_output", "attention.output.LayerNorm", "attn_output_norm",
            "intermediate.dense", "ffn_up", "output.dense", "ffn_down", "output.LayerNorm", "layer_output_norm");
    private static final Map<String, String> EMBEDDING_PARTS = Map.of(
            "embeddings.word_embeddings.weight", "token_embd.weight", "embeddings.position_embeddings.weight", "position_embd.weight",
            "embeddings.token_type_embeddings.weight", "token_types.weight", "embeddings.LayerNorm.weight", "token_embd_norm.weight",
            "embeddings.LayerNorm.bias", "token_embd_norm.bias");

    /** A tensor named as GGUF names it, its float values and GGUF dims. */
    record Mapped(String name, float[] values, long[] dims) {
    }

    private BertOnnxImporter() {
    }

    /**
     * Builds the writer for {@code onnx}'s weights with the {@code bert.*} hyperparameters read from the graph; the
     * caller adds the vocabulary ({@code tokenizer} keys) and writes it.
     */
    public static GgufWriter convert(Path onnx, Metadata tokenizer, Options options) throws IOException {
        try (OnnxGraph g = OnnxGraph.open(onnx)) {
            List<Mapped> tensors = mapTensors(g);
            Map<String, Mapped> byName = new TreeMap<>();
            for (Mapped m : tensors) byName.put(m.name, m);
            Mapped tok = require(byName, "token_embd.weight"), pos = require(byName, "position_embd.weight"), up = require(byName, "blk.0.ffn_up.weight");
            int hidden = (int) tok.dims[0];
            int layers = (int) tensors.stream().filter(m -> m.name.startsWith("blk.")).mapToInt(m -> Integer.parseInt(m.name.split("\\.")[1])).max().orElse(-1) + 1;
            int headDim = headDim(g, hidden);

            Metadata md = new Metadata();
            md.putString("general.architecture", "bert");
            md.putString("general.name", options.name());
            md.putUInt32("bert.context_length", (int) pos.dims[1]);
            md.putUInt32("bert.embedding_length", hidden);
            md.putUInt32("bert.feed_forward_length", (int) up.dims[1]);
            md.putUInt32("bert.block_count", layers);
            md.putUInt32("bert.attention.head_count", hidden / headDim);
            md.putFloat32("bert.attention.layer_norm_epsilon", layerNormEpsilon(g));
            md.putBool("bert.attention.causal", false);
            md.putUInt32("bert.pooling_type", options.pooling().ggufId);
            md.putUInt32("general.file_type", TensorEncoder.fileType(options.weightType()));
            Mapped types = byName.get("token_types.weight");
            if (types != null) md.putUInt32("tokenizer.ggml.token_type_count", (int) types.dims[1]);
            for (var e : tokenizer.entries().entrySet()) md.put(e.getKey(), e.getValue().type(), e.getValue().value());

            GgufWriter w = new GgufWriter(md);
            for (Mapped m : tensors) {
                GgmlType type = TensorEncoder.typeFor(m.name, m.dims, options.weightType());
                w.addTensor(m.name, type, m.dims, out -> TensorEncoder.encode(m.values, type, out));
            }
            return w;
        }
    }

    private static Mapped require(Map<String, Mapped> byName, String name) throws IOException {
        Mapped m = byName.get(name);
        if (m == null) throw new IOException("the ONNX graph has no tensor that maps to '" + name + "': is it a BERT model?");
        return m;
    }

    /** Every weight the encoder uses, GGUF-named, in llama.cpp's order (embeddings, then blocks). */
    static List<Mapped> mapTensors(OnnxGraph g) throws IOException {
        List<Mapped> out = new ArrayList<>();
        for (var init : g.initializers().values()) {
            String gguf = EMBEDDING_PARTS.get(init.name());
            if (gguf != null) out.add(new Mapped(gguf, init.floats(), reverse(init.dims())));
        }
        Map<Integer, List<Mapped>> blocks = new TreeMap<>();
        for (var init : g.initializers().values()) {
            String hfName = init.name();
            boolean matmul = false;
            if (!hfName.contains(".")) { // anonymous MatMul weight: name it after the layer it feeds
                hfName = linearWeightName(g, init.name());
                if (hfName == null) continue;
                matmul = true;
            }
            Matcher m = LAYER.matcher(hfName);
            if (!m.matches()) continue;
            String part = LAYER_PARTS.get(m.group(2));
            if (part == null) continue;
            int layer = Integer.parseInt(m.group(1));
            String name = "blk." + layer + "." + part + "." + m.group(3);
            float[] values = init.floats();
            long[] dims = reverse(init.dims());
            if (matmul) { // ONNX [in][out] -> GGUF N=out rows of K=in
                int in = (int) init.dims()[0], outDim = (int) init.dims()[1];
                values = transpose(values, in, outDim);
                dims = new long[]{in, outDim};
            }
            blocks.computeIfAbsent(layer, k -> new ArrayList<>()).add(new Mapped(name, values, dims));
        }
        if (out.isEmpty() && blocks.isEmpty()) throw new IOException("no BERT weights found in the ONNX graph");
        for (List<Mapped> b : blocks.values()) {
            b.sort(java.util.Comparator.comparingInt(x -> ORDER.indexOf(x.name.substring(x.name.indexOf('.', 4) + 1))));
            out.addAll(b);
        }
        return out;
    }

    private static final List<String> ORDER = List.of("attn_q.weight", "attn_q.bias", "attn_k.weight", "attn_k.bias", "attn_v.weight", "attn_v.bias",
            "attn_output.weight", "attn_output.bias", "attn_output_norm.weight", "attn_output_norm.bias", "ffn_up.weight", "ffn_up.bias",
            "ffn_down.weight", "ffn_down.bias", "layer_output_norm.weight", "layer_output_norm.bias");

    /** The Hugging Face name of the weight a MatMul initializer holds, found through the bias Add its product feeds. */
    static String linearWeightName(OnnxGraph g, String initializer) {
        for (OnnxGraph.Node mm : g.consumers(initializer)) {
            if (!mm.opType().equals("MatMul")) continue;
            for (OnnxGraph.Node add : g.consumers(mm.outputs().get(0))) {
                if (!add.opType().equals("Add")) continue;
                for (String in : add.inputs()) if (in.endsWith(".bias") && g.initializers().containsKey(in)) return in.substring(0, in.length() - 5) + ".weight";
            }
            // No bias: "/encoder/layer.0/attention/self/query/MatMul" -> "encoder.layer.0.attention.self.query.weight"
            String n = mm.name();
            if (n.startsWith("/") && n.endsWith("/MatMul")) return n.substring(1, n.length() - 7).replace('/', '.') + ".weight";
        }
        return null;
    }

    /** Head size from the attention scores' divisor (sqrt(head_dim)) or the Reshape target [batch, seq, heads, head_dim]. */
    static int headDim(OnnxGraph g, int hidden) throws IOException {
        for (OnnxGraph.Node n : g.nodes()) {
            if (n.opType().equals("Div") && n.name().contains("attention/self/Div")) {
                double[] c = g.constant(n.inputs().get(1));
                if (c != null && c.length == 1) {
                    int d = (int) Math.round(c[0] * c[0]);
                    if (d > 0 && hidden % d == 0) return d;
                }
            }
        }
        for (OnnxGraph.Node n : g.nodes()) {
            if (!n.opType().equals("Concat") || !n.name().contains("attention/self")) continue;
            List<String> in = n.inputs();
            if (in.size() != 4) continue;
            double[] heads = g.constant(in.get(2)), dim = g.constant(in.get(3));
            if (heads != null && dim != null && heads.length == 1 && dim.length == 1 && heads[0] * dim[0] == hidden) return (int) dim[0];
        }
        throw new IOException("cannot find the attention head size in the ONNX graph");
    }

    /** Epsilon of the layer norms: a LayerNormalization attribute, or the constant added to the variance. */
    static float layerNormEpsilon(OnnxGraph g) {
        for (OnnxGraph.Node n : g.nodes()) {
            if (n.opType().equals("LayerNormalization") && n.attributes().containsKey("epsilon")) return n.attributes().get("epsilon");
            if (n.opType().equals("Add") && n.name().contains("LayerNorm/Add") && !n.name().endsWith("Add_1")) {
                for (String in : n.inputs()) {
                    double[] c = g.constant(in);
                    if (c != null && c.length == 1 && c[0] > 0 && c[0] < 1e-3) return (float) c[0];
                }
            }
        }
        return 1e-12f;
    }

    private static long[] reverse(long[] dims) {
        long[] r = new long[dims.length];
        for (int i = 0; i < dims.length; i++) r[i] = dims[dims.length - 1 - i];
        return r;
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        return t;
    }
}
