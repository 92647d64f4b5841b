package dev.koboldj.engine.model.nomicbert;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.Rope;
import dev.koboldj.engine.model.Batch;
import dev.koboldj.engine.model.EncoderBase;
import dev.koboldj.engine.model.ModelWeights;

/**
 * nomic-bert (nomic-embed-text v1/v1.5): BERT's post-norm blocks with a fused QKV projection (split at load into
 * three row ranges), rotary positions (NEOX pairing) instead of a position table, SwiGLU feed-forward
 * {@code down(silu(gate(x)) * up(x))}, and no biases in the projections.
 */
public final class NomicBertModel extends EncoderBase {
    private record Layer(DeviceWeights q, DeviceWeights k, DeviceWeights v, DeviceWeights out, DeviceWeights attnNorm, DeviceWeights attnNormBias,
                         DeviceWeights up, DeviceWeights gate, DeviceWeights down, DeviceWeights outputNorm, DeviceWeights outputNormBias) {
    }

    private final NomicBertConfig config;
    private final DeviceWeights tokenEmbeddings, tokenTypes, embeddingNorm, embeddingNormBias;
    private final Layer[] layers;
    private final Activations ids, positions, typeIds, x, q, k, v, attn, tmp, gate, up;

    public NomicBertModel(ModelWeights w, Backend backend, int maxBatchTokens) {
        NomicBertConfig config = NomicBertConfig.from(w.file().metadata());
        super(backend, NomicBertConfig.ARCH, config.hiddenSize(), config.maxPositions(), maxBatchTokens, config.pooling());
        this.config = config;
        int h = config.hiddenSize();
        tokenEmbeddings = w.required("token_embd.weight");
        tokenTypes = w.optional("token_types.weight");
        embeddingNorm = w.required("token_embd_norm.weight");
        embeddingNormBias = w.optional("token_embd_norm.bias");
        layers = new Layer[config.layers()];
        for (int i = 0; i < layers.length; i++) {
            String b = "blk." + i + ".";
            String qkv = b + "attn_qkv.weight";
            layers[i] = new Layer(w.rows(qkv, 0, h), w.rows(qkv, h, h), w.rows(qkv, 2 * h, h), w.required(b + "attn_output.weight"),
                    w.required(b + "attn_output_norm.weight"), w.optional(b + "attn_output_norm.bias"),
                    w.required(b + "ffn_up.weight"), w.required(b + "ffn_gate.weight"), w.required(b + "ffn_down.weight"),
                    w.required(b + "layer_output_norm.weight"), w.optional(b + "layer_output_norm.bias"));
        }
        ids = buffer(ElementType.I32, 1);
        positions = buffer(ElementType.I32, 1);
        typeIds = buffer(ElementType.I32, 1);
        x = buffer(ElementType.F32, h);
        q = buffer(ElementType.F32, h);
        k = buffer(ElementType.F32, h);
        v = buffer(ElementType.F32, h);
        attn = buffer(ElementType.F32, h);
        tmp = buffer(ElementType.F32, h);
        gate = buffer(ElementType.F32, config.feedForward());
        up = buffer(ElementType.F32, config.feedForward());
        try (CommandStream s = backend.stream()) {
            s.write(typeIds, new int[maxBatchTokens()]);
            s.await();
        }
    }

    @Override
    public Activations forward(Batch batch, CommandStream s) {
        int t = checkedTokens(batch);
        Activations x = this.x.rows(t), q = this.q.rows(t), k = this.k.rows(t), v = this.v.rows(t), attn = this.attn.rows(t), tmp = this.tmp.rows(t);
        Activations gate = this.gate.rows(t), up = this.up.rows(t), pos = positions.rows(t);
        s.write(ids, batch.tokens());
        s.write(positions, batch.positions());
        s.getRows(tokenEmbeddings, ids.rows(t), x);
        if (tokenTypes != null) {
            s.getRows(tokenTypes, typeIds.rows(t), tmp);
            s.add(x, tmp, x);
        }
        s.layerNorm(x, embeddingNorm, embeddingNormBias, config.layerNormEps(), x);
        int d = config.headDim();
        Attention shape = new Attention(config.heads(), config.heads(), d, (float) (1.0 / Math.sqrt(d)), false);
        Rope rope = new Rope(config.heads(), d, d, config.ropeFreqBase(), true);
        for (Layer l : layers) {
            s.matmul(x, l.q, q);
            s.matmul(x, l.k, k);
            s.matmul(x, l.v, v);
            s.rope(q, pos, rope);
            s.rope(k, pos, rope);
            s.attention(q, k, v, batch.layout(), shape, attn);
            s.matmul(attn, l.out, null, Activation.NONE, x, tmp);
            s.layerNorm(tmp, l.attnNorm, l.attnNormBias, config.layerNormEps(), x);
            s.matmul(x, l.gate, gate);
            s.matmul(x, l.up, up);
            s.swiglu(gate, up, gate);
            s.matmul(gate, l.down, null, Activation.NONE, x, tmp);
            s.layerNorm(tmp, l.outputNorm, l.outputNormBias, config.layerNormEps(), x);
        }
        return x;
    }
}
