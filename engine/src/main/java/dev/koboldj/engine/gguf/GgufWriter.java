package dev.koboldj.engine.gguf;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes GGUF v3 files in the layout {@link GgufReader} documents: metadata in insertion order, tensors in the
 * order added, each tensor's data at the next multiple of the alignment (zero padding). Tensor data is produced
 * lazily by a {@link TensorSource}, so a quantizer can stream a model larger than memory.
 */
public final class GgufWriter {
    /** Produces exactly {@code byteSize} bytes of one tensor's data. */
    @FunctionalInterface
    public interface TensorSource {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Called before each tensor's data is produced. */
    @FunctionalInterface
    public interface Progress {
        void tensor(int index, int total, TensorInfo tensor);
    }

    private record Entry(TensorInfo info, TensorSource source) {
    }

    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    static {
        // A file being written when the JVM is stopped (Ctrl-C) is removed, never left half-written.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> IN_PROGRESS.forEach(p -> p.toFile().delete()), "gguf-writer-cleanup"));
    }

    private final Metadata metadata;
    private final int alignment;
    private final List<Entry> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private long nextOffset;

    public GgufWriter(Metadata metadata) {
        this.metadata = new Metadata(metadata);
        Metadata.Value a = metadata.get("general.alignment");
        if (a != null && (a.type() != ValueType.UINT32 || Integer.bitCount((Integer) a.value()) != 1)) {
            throw new IllegalArgumentException("general.alignment must be a UINT32 power of two");
        }
        this.alignment = a == null ? GgufReader.DEFAULT_ALIGNMENT : (Integer) a.value();
    }

    public GgufWriter addTensor(String name, GgmlType type, long[] dims, TensorSource source) {
        if (!names.add(name)) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        if (dims.length < 1 || dims.length > GgufReader.MAX_DIMS) throw new IllegalArgumentException("tensor '" + name + "' needs 1 to 4 dimensions");
        if (dims[0] % type.blockSize != 0) {
            throw new IllegalArgumentException("tensor '" + name + "' row length " + dims[0] + " is not a multiple of " + type + "'s block size " + type.blockSize);
        }
        TensorInfo info = new TensorInfo(name, dims, type, nextOffset);
        tensors.add(new Entry(info, source));
        nextOffset = GgufReader.align(nextOffset + info.byteSize(), alignment);
        return this;
    }

    /** Adds a tensor whose bytes are already encoded in {@code type}. */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, MemorySegment data) {
        long expected = type.bytesFor(product(dims));
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + data.byteSize() + " bytes, its shape needs " + expected);
        }
        return addTensor(name, type, dims, out -> writeSegment(data, out));
    }

    /** Adds an F32 tensor. */
    public GgufWriter addTensor(String name, float[] values, long... dims) {
        MemorySegment seg = MemorySegment.ofArray(new byte[values.length * 4]);
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, values.length);
        return addTensor(name, GgmlType.F32, dims, seg);
    }

    public List<TensorInfo> tensorInfos() {
        return tensors.stream().map(Entry::info).toList();
    }

    /** Writes to {@code out} atomically: a temporary file beside it is renamed over it only once complete. */
    public void write(Path out, Progress progress) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".part");
        IN_PROGRESS.add(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20)) {
                write(os, progress);
                os.flush();
                ch.force(true);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            IN_PROGRESS.remove(tmp);
        }
    }

    public void write(Path out) throws IOException {
        write(out, (i, n, t) -> { });
    }

    public void write(OutputStream os, Progress progress) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        Encoder e = new Encoder(header);
        e.u32(GgufReader.MAGIC);
        e.u32(3);
        e.u64(tensors.size());
        e.u64(metadata.size());
        for (var kv : metadata.entries().entrySet()) {
            e.string(kv.getKey());
            e.u32(kv.getValue().type().id);
            e.value(kv.getValue().type(), kv.getValue().value());
        }
        for (Entry t : tensors) {
            e.string(t.info.name());
            long[] dims = t.info.dims();
            e.u32(dims.length);
            for (long d : dims) e.u64(d);
            e.u32(t.info.type().id);
            e.u64(t.info.offset());
        }
        long pos = header.size();
        header.writeTo(os);
        pos = pad(os, pos);
        long dataStart = pos;
        for (int i = 0; i < tensors.size(); i++) {
            Entry t = tensors.get(i);
            progress.tensor(i, tensors.size(), t.info);
            CountingStream counting = new CountingStream(os);
            t.source.writeTo(counting);
            if (counting.count != t.info.byteSize()) {
                throw new IOException("tensor '" + t.info.name() + "' produced " + counting.count + " bytes, expected " + t.info.byteSize());
            }
            pos = pad(os, pos + counting.count);
            if (i + 1 < tensors.size() && pos - dataStart != tensors.get(i + 1).info.offset()) throw new AssertionError("offset bookkeeping");
        }
    }

    private long pad(OutputStream os, long pos) throws IOException {
        long aligned = GgufReader.align(pos, alignment);
        for (long p = pos; p < aligned; p++) os.write(0);
        return aligned;
    }

    private static long product(long[] dims) {
        long n = 1;
        for (long d : dims) n = Math.multiplyExact(n, d);
        return n;
    }

    /** Streams a memory segment (of any size) in 1 MiB chunks. */
    public static void writeSegment(MemorySegment data, OutputStream out) throws IOException {
        byte[] buf = new byte[(int) Math.min(1 << 20, Math.max(1, data.byteSize()))];
        for (long off = 0; off < data.byteSize(); off += buf.length) {
            int n = (int) Math.min(buf.length, data.byteSize() - off);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, off, buf, 0, n);
            out.write(buf, 0, n);
        }
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Little-endian GGUF value encoder. */
    private static final class Encoder {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Encoder(OutputStream out) {
            this.out = out;
        }

        void u32(int v) throws IOException {
            out.write(buf.clear().putInt(v).array(), 0, 4);
        }

        void u64(long v) throws IOException {
            out.write(buf.clear().putLong(v).array(), 0, 8);
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            out.write(b);
        }

        void value(ValueType type, Object v) throws IOException {
            switch (type) {
                case UINT8, INT8 -> out.write((Byte) v);
                case UINT16, INT16 -> out.write(buf.clear().putShort((Short) v).array(), 0, 2);
                case UINT32, INT32 -> u32((Integer) v);
                case UINT64, INT64 -> u64((Long) v);
                case FLOAT32 -> u32(Float.floatToRawIntBits((Float) v));
                case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) v));
                case BOOL -> out.write((Boolean) v ? 1 : 0);
                case STRING -> string((String) v);
                case ARRAY -> array((MetadataArray) v);
            }
        }

        void array(MetadataArray a) throws IOException {
            u32(a.elementType().id);
            int n = a.length();
            u64(n);
            switch (a.values()) {
                case byte[] b -> out.write(b);
                case short[] s -> { for (short x : s) value(a.elementType(), x); }
                case int[] x -> { for (int i : x) u32(i); }
                case long[] x -> { for (long l : x) u64(l); }
                case float[] x -> { for (float f : x) u32(Float.floatToRawIntBits(f)); }
                case double[] x -> { for (double d : x) u64(Double.doubleToRawLongBits(d)); }
                case boolean[] x -> { for (boolean b : x) out.write(b ? 1 : 0); }
                case String[] x -> { for (String s : x) string(s); }
                case MetadataArray[] x -> { for (MetadataArray m : x) array(m); }
                default -> throw new AssertionError(a.values());
            }
        }
    }
}
