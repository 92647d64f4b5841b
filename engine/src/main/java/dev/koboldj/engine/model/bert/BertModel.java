package dev.koboldj.engine.model.bert;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.model.Batch;
import dev.koboldj.engine.model.EncoderBase;
import dev.koboldj.engine.model.ModelWeights;

/**
 * BERT encoder as llama.cpp lays it out (MiniLM, bge, e5, XLM-RoBERTa): token + position + token-type embeddings,
 * a layer norm, then post-norm blocks {@code x = LN(x + Attn(x)); x = LN(x + FFN_gelu(x))} with bidirectional
 * attention inside each sequence.
 */
public final class BertModel extends EncoderBase {
    private record Layer(DeviceWeights q, DeviceWeights qBias, DeviceWeights k, DeviceWeights kBias, DeviceWeights v, DeviceWeights vBias,
                         DeviceWeights out, DeviceWeights outBias, DeviceWeights attnNorm, DeviceWeights attnNormBias,
                         DeviceWeights up, DeviceWeights upBias, DeviceWeights down, DeviceWeights downBias,
                         DeviceWeights outputNorm, DeviceWeights outputNormBias) {
    }

    private final BertConfig config;
    private final DeviceWeights tokenEmbeddings, positionEmbeddings, tokenTypes, embeddingNorm, embeddingNormBias;
    private final Layer[] layers;
    // Buffers for maxBatchTokens rows, reused by every forward pass.
    private final Activations ids, positions, typeIds, x, q, k, v, attn, tmp, ffn;

    public BertModel(ModelWeights w, Backend backend, int maxBatchTokens) {
        BertConfig config = BertConfig.from(w.file().metadata());
        super(backend, BertConfig.ARCH, config.hiddenSize(), config.maxPositions(), maxBatchTokens, config.pooling());
        this.config = config;
        tokenEmbeddings = w.required("token_embd.weight");
        positionEmbeddings = w.required("position_embd.weight");
        tokenTypes = w.optional("token_types.weight");
        embeddingNorm = w.required("token_embd_norm.weight");
        embeddingNormBias = w.optional("token_embd_norm.bias");
        layers = new Layer[config.layers()];
        for (int i = 0; i < layers.length; i++) {
            String b = "blk." + i + ".";
            layers[i] = new Layer(w.required(b + "attn_q.weight"), w.optional(b + "attn_q.bias"), w.required(b + "attn_k.weight"), w.optional(b + "attn_k.bias"),
                    w.required(b + "attn_v.weight"), w.optional(b + "attn_v.bias"), w.required(b + "attn_output.weight"), w.optional(b + "attn_output.bias"),
                    w.required(b + "attn_output_norm.weight"), w.optional(b + "attn_output_norm.bias"),
                    w.required(b + "ffn_up.weight"), w.optional(b + "ffn_up.bias"), w.required(b + "ffn_down.weight"), w.optional(b + "ffn_down.bias"),
                    w.required(b + "layer_output_norm.weight"), w.optional(b + "layer_output_norm.bias"));
        }
        int h = config.hiddenSize();
        ids = buffer(ElementType.I32, 1);
        positions = buffer(ElementType.I32, 1);
        typeIds = buffer(ElementType.I32, 1);
        x = buffer(ElementType.F32, h);
        q = buffer(ElementType.F32, h);
        k = buffer(ElementType.F32, h);
        v = buffer(ElementType.F32, h);
        attn = buffer(ElementType.F32, h);
        tmp = buffer(ElementType.F32, h);
        ffn = buffer(ElementType.F32, config.feedForward());
        try (CommandStream s = backend.stream()) {
            s.write(typeIds, new int[maxBatchTokens()]); // every token has type 0
            s.await();
        }
    }

    public BertConfig config() {
        return config;
    }

    @Override
    public Activations forward(Batch batch, CommandStream s) {
        int t = checkedTokens(batch);
        Activations x = this.x.rows(t), q = this.q.rows(t), k = this.k.rows(t), v = this.v.rows(t), attn = this.attn.rows(t), tmp = this.tmp.rows(t), ffn = this.ffn.rows(t);
        s.write(ids, batch.tokens());
        s.write(positions, batch.positions());
        s.getRows(tokenEmbeddings, ids.rows(t), x);
        s.getRows(positionEmbeddings, positions.rows(t), tmp);
        s.add(x, tmp, x);
        if (tokenTypes != null) {
            s.getRows(tokenTypes, typeIds.rows(t), tmp);
            s.add(x, tmp, x);
        }
        s.layerNorm(x, embeddingNorm, embeddingNormBias, config.layerNormEps(), x);
        Attention shape = new Attention(config.heads(), config.heads(), config.headDim(), (float) (1.0 / Math.sqrt(config.headDim())), false);
        for (Layer l : layers) {
            s.matmul(x, l.q, l.qBias, Activation.NONE, null, q);
            s.matmul(x, l.k, l.kBias, Activation.NONE, null, k);
            s.matmul(x, l.v, l.vBias, Activation.NONE, null, v);
            s.attention(q, k, v, batch.layout(), shape, attn);
            s.matmul(attn, l.out, l.outBias, Activation.NONE, x, tmp);
            s.layerNorm(tmp, l.attnNorm, l.attnNormBias, config.layerNormEps(), x);
            s.matmul(x, l.up, l.upBias, Activation.GELU, null, ffn);
            s.matmul(ffn, l.down, l.downBias, Activation.NONE, x, tmp);
            s.layerNorm(tmp, l.outputNorm, l.outputNormBias, config.layerNormEps(), x);
        }
        return x;
    }
}
