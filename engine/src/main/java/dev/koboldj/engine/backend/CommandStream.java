package dev.koboldj.engine.backend;

/**
 * An ordered queue of operations on one backend. Operations are enqueued and never return values; results reach
 * the host through {@link #read} and are valid once {@link #await()} returns. The CPU backend may run each operation
 * at once, a GPU backend records them into a command buffer submitted at {@link #await()}. Every operation reads
 * and writes {@code out.rows()} rows (so views sized to the batch bound the work); {@code out} may be the same buffer
 * as an input only where stated. A stream belongs to one thread at a time.
 */
public interface CommandStream extends AutoCloseable {

    /** Copies {@code src} into the first {@code src.length} elements of an F32 buffer, ordered before later operations. */
    void write(Activations dst, float[] src);

    /** Copies {@code src} into the first {@code src.length} elements of an I32 buffer, ordered before later operations. */
    void write(Activations dst, int[] src);

    /** Copies the first {@code dst.length} elements of {@code src} to the host; {@code dst} is filled when {@link #await()} returns. */
    void read(Activations src, float[] dst);

    /** {@code out[r] = table[ids[r]]} dequantized to F32; {@code ids} is I32 with one column. */
    void getRows(DeviceWeights table, Activations ids, Activations out);

    /**
     * {@code out = act(x * w^T + bias) + residual}: x is [M][K], w holds N rows of K, out is [M][N]. {@code bias}
     * (N elements) and {@code residual} ([M][N]) may be null; {@code residual} may be {@code out} itself.
     */
    void matmul(Activations x, DeviceWeights w, DeviceWeights bias, Activation act, Activations residual, Activations out);

    default void matmul(Activations x, DeviceWeights w, Activations out) {
        matmul(x, w, null, Activation.NONE, null, out);
    }

    /** {@code out = a + b} element-wise; {@code out} may be {@code a} or {@code b}. */
    void add(Activations a, Activations b, Activations out);

    /** Per row: {@code (x - mean) / sqrt(var + eps) * gamma + beta}; {@code beta} may be null; {@code out} may be {@code x}. */
    void layerNorm(Activations x, DeviceWeights gamma, DeviceWeights beta, float eps, Activations out);

    /**
     * RMS norm over each group of {@code gamma.cols()} consecutive columns: a whole row when gamma spans the row, one
     * head when it spans a head (Qwen3's per-head q/k norms). {@code out} may be {@code x}.
     */
    void rmsNorm(Activations x, DeviceWeights gamma, float eps, Activations out);

    /** {@code out = silu(gate) * up} element-wise; {@code out} may be {@code gate} or {@code up}. */
    void swiglu(Activations gate, Activations up, Activations out);

    /** Rotates {@code x} in place; {@code positions} is I32 with one position per row. */
    void rope(Activations x, Activations positions, Rope rope);

    /**
     * Multi-head attention of q ([rows][headCount*headDim]) over k and v ([keyRows][kvHeadCount*headDim]) within the
     * sequences of {@code layout}; out has q's shape and must be a separate buffer.
     */
    void attention(Activations q, Activations k, Activations v, SequenceLayout layout, Attention shape, Activations out);

    /** One row per sequence of {@code layout} from the hidden states of its query rows; {@code mode} is not NONE. */
    void pool(Activations hidden, SequenceLayout layout, Pooling mode, Activations out);

    /** Each row scaled to unit L2 norm (a zero row stays zero); {@code out} may be {@code x}. */
    void l2Normalize(Activations x, Activations out);

    /** Copies all rows of {@code src} into {@code dst} starting at row {@code dstRow} (KV-cache appends). */
    void copyRows(Activations src, Activations dst, int dstRow);

    /** Runs everything enqueued and waits for it; afterwards every {@link #read} destination is filled. */
    void await();

    @Override
    void close();
}
