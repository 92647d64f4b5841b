package dev.koboldj.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.gguf.GgmlType;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The matmul row decoders give exactly the codec's floats, for any run of rows, from unaligned tensors. */
class CpuRowDecoderTest {
    static Stream<GgmlType> formats() {
        return Arrays.stream(TestWeights.FORMATS);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void decodesRowsLikeTheCodec(GgmlType type) {
        int k = TestWeights.cols(type, 3, 41), n = 19;
        for (int offset = 0; offset < 4; offset++) {
            WeightTensor t = TestWeights.matrix(type, k, n, 17 + offset, offset);
            CpuWeights w = new CpuWeights(t);
            float[] all = TestWeights.decode(t);
            CpuScratch s = new CpuScratch();
            for (int row = 0; row < n; row += 5) {
                int count = Math.min(7, n - row);
                float[] dst = new float[count * k + 3];
                w.decoder.decode(w.data, w.rowBytes, row, count, k, dst, 3, s);
                assertArrayEquals(Arrays.copyOfRange(all, row * k, (row + count) * k), Arrays.copyOfRange(dst, 3, dst.length),
                        type + " rows " + row + ".." + (row + count) + " offset " + offset);
                float[] one = new float[k];
                w.row(row, one, 0);
                assertArrayEquals(Arrays.copyOfRange(all, row * k, (row + 1) * k), one, type + " row() " + row);
            }
        }
    }
}
