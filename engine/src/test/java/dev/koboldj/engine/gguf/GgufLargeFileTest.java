package dev.koboldj.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files over 2 GiB map and read correctly (the FFM API has no int-sized limit); the data here is a sparse file. */
class GgufLargeFileTest {
    @TempDir
    Path dir;

    @Test
    void aTensorBeyondTwoGibibytesIsReadWhereItLies() throws IOException {
        long elements = (3L << 30) / 4; // a 3 GiB F32 tensor
        GgufWriter w = new GgufWriter(new Metadata().putString("general.architecture", "test"));
        w.addTensor("small", new float[]{1, 2, 3, 4}, 4);
        w.addTensor("huge", GgmlType.F32, new long[]{elements}, out -> { throw new IOException("header only"); });
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        // The writer emits the header and the first tensor before asking the huge one for its data.
        assertThrows(IOException.class, () -> w.write(header, (i, n, t) -> { }));
        TensorInfo huge = w.tensorInfos().get(1);

        Path file = dir.resolve("big.gguf");
        long dataStart = header.size() - huge.offset(); // the stream stopped exactly where "huge"'s data begins
        long lastFloat = dataStart + huge.offset() + huge.byteSize() - 4;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(header.toByteArray());
            raf.setLength(dataStart + huge.offset() + huge.byteSize()); // sparse: no 3 GiB written
            raf.seek(lastFloat);
            raf.writeInt(Integer.reverseBytes(Float.floatToIntBits(42.5f)));
        }
        try (GgufFile g = GgufFile.open(file)) {
            assertEquals(dataStart, g.dataOffset());
            MemorySegment data = g.data("huge");
            assertEquals(3L << 30, data.byteSize());
            assertEquals(42.5f, data.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), data.byteSize() - 4));
            assertEquals(0f, data.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), (1L << 31) + 8));
            assertEquals(3f, g.data("small").get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8));
        }
    }
}
