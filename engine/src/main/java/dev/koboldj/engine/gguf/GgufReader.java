package dev.koboldj.engine.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/**
 * Parses a GGUF header from a memory segment holding the whole file. Every length and count is checked against
 * the bytes left before anything is allocated, so a damaged file fails with a {@link GgufFormatException}.
 *
 * <pre>
 * uint32 magic "GGUF" | uint32 version (2, 3) | uint64 tensor_count | uint64 kv_count
 * kv_count x { string key | uint32 value_type | value }
 *     string = uint64 length + UTF-8 bytes (no terminator); array = uint32 element_type + uint64 count + elements
 * tensor_count x { string name | uint32 n_dims (1..4) | uint64 dims[n_dims] | uint32 ggml_type | uint64 offset }
 * padding to general.alignment (default 32) | tensor data (each tensor at data_start + offset, offsets aligned)
 * </pre>
 * All numbers are little-endian.
 */
final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    static final int DEFAULT_ALIGNMENT = 32;
    static final int MAX_DIMS = 4;
    private static final int MAX_ARRAY_NESTING = 16;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The parsed header; tensor offsets are relative to {@code dataOffset}. */
    record Header(int version, Metadata metadata, List<TensorInfo> tensors, int alignment, long dataOffset) {
    }

    private final MemorySegment file;
    private final long size;
    private long pos;

    private GgufReader(MemorySegment file) {
        this.file = file;
        this.size = file.byteSize();
    }

    static Header parse(MemorySegment file) {
        return new GgufReader(file).header();
    }

    private Header header() {
        need(4, "magic");
        int magic = file.get(I32, 0);
        if (magic != MAGIC) {
            throw new GgufFormatException(String.format("bad magic 0x%08x: not a GGUF file (expected the bytes 'GGUF')", magic), 0);
        }
        pos = 4;
        need(4, "version");
        int version = file.get(I32, pos);
        if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
            throw new GgufFormatException("big-endian GGUF files are not supported", pos);
        }
        if (version != 2 && version != 3) {
            throw new GgufFormatException("unsupported GGUF version " + Integer.toUnsignedString(version) + " (supported: 2, 3)", pos);
        }
        pos += 4;
        long tensorCount = count("tensor count", 8 + 4 + 8 + 4 + 8);
        long kvCount = count("metadata key/value count", 8 + 4 + 1);

        Metadata metadata = new Metadata();
        for (long i = 0; i < kvCount; i++) {
            long at = pos;
            String key = string("metadata key");
            if (metadata.has(key)) throw new GgufFormatException("duplicate metadata key '" + key + "'", at);
            ValueType type = valueType("value type of '" + key + "'");
            metadata.put(key, type, value(type, key, 0));
        }

        int alignment = DEFAULT_ALIGNMENT;
        Metadata.Value a = metadata.get("general.alignment");
        if (a != null) {
            if (a.type() != ValueType.UINT32 || (Integer) a.value() <= 0 || Integer.bitCount((Integer) a.value()) != 1) {
                throw new GgufFormatException("general.alignment must be a UINT32 power of two, found " + a.type() + " " + a.value(), 0);
            }
            alignment = (Integer) a.value();
        }

        List<TensorInfo> tensors = new ArrayList<>((int) Math.min(tensorCount, 1 << 16));
        HashSet<String> names = new HashSet<>();
        List<Long> infoAt = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            long at = pos;
            infoAt.add(at);
            String name = string("tensor name");
            if (!names.add(name)) throw new GgufFormatException("duplicate tensor name '" + name + "'", at);
            need(4, "dimension count of tensor '" + name + "'");
            int nDims = file.get(I32, pos);
            if (nDims < 1 || nDims > MAX_DIMS) {
                throw new GgufFormatException("tensor '" + name + "' has " + Integer.toUnsignedString(nDims) + " dimensions (1 to " + MAX_DIMS + " allowed)", pos);
            }
            pos += 4;
            long[] dims = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                need(8, "dimension of tensor '" + name + "'");
                dims[d] = file.get(I64, pos);
                if (dims[d] < 0) throw new GgufFormatException("tensor '" + name + "' has a negative dimension", pos);
                try {
                    elements = Math.multiplyExact(elements, dims[d]);
                } catch (ArithmeticException e) {
                    throw new GgufFormatException("tensor '" + name + "' has more elements than fit in 64 bits", pos);
                }
                pos += 8;
            }
            need(4, "type of tensor '" + name + "'");
            int typeId = file.get(I32, pos);
            GgmlType type = GgmlType.byId(typeId);
            if (type == null) throw new GgufFormatException("tensor '" + name + "' has unknown ggml type id " + Integer.toUnsignedString(typeId), pos);
            if (dims[0] % type.blockSize != 0) {
                throw new GgufFormatException("tensor '" + name + "' row length " + dims[0] + " is not a multiple of " + type + "'s block size " + type.blockSize, pos);
            }
            if (elements / type.blockSize > Long.MAX_VALUE / type.blockBytes) {
                throw new GgufFormatException("tensor '" + name + "' is larger than 2^63 bytes", pos);
            }
            pos += 4;
            need(8, "data offset of tensor '" + name + "'");
            long offset = file.get(I64, pos);
            if (offset < 0 || offset % alignment != 0) {
                throw new GgufFormatException("tensor '" + name + "' data offset " + Long.toUnsignedString(offset) + " is not a multiple of the alignment " + alignment, pos);
            }
            pos += 8;
            tensors.add(new TensorInfo(name, dims, type, offset));
        }

        long dataOffset = align(pos, alignment);
        long dataBytes = Math.max(0, size - dataOffset);
        checkTensorData(tensors, infoAt, dataOffset, dataBytes);
        return new Header(version, metadata, List.copyOf(tensors), alignment, dataOffset);
    }

    private void checkTensorData(List<TensorInfo> tensors, List<Long> infoAt, long dataOffset, long dataBytes) {
        Integer[] order = new Integer[tensors.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingLong(i -> tensors.get(i).offset()));
        long previousEnd = 0;
        String previous = null;
        for (int i : order) {
            TensorInfo t = tensors.get(i);
            long bytes = t.byteSize();
            if (t.offset() > dataBytes || bytes > dataBytes - t.offset()) {
                throw new GgufFormatException("tensor '" + t.name() + "' data [" + t.offset() + ", +" + bytes + ") lies beyond the end of the file (tensor data holds "
                        + dataBytes + " bytes from offset " + dataOffset + "): truncated file?", infoAt.get(i));
            }
            if (t.offset() < previousEnd) {
                throw new GgufFormatException("tensor '" + t.name() + "' data overlaps tensor '" + previous + "'", infoAt.get(i));
            }
            if (bytes > 0) {
                previousEnd = t.offset() + bytes;
                previous = t.name();
            }
        }
    }

    static long align(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    private void need(long bytes, String what) {
        if (bytes > size - pos) {
            throw new GgufFormatException("truncated file: " + what + " needs " + bytes + " bytes, " + (size - pos) + " left", pos);
        }
    }

    /** A uint64 count whose items take at least {@code minItemBytes} each; refuses counts the file cannot hold. */
    private long count(String what, long minItemBytes) {
        need(8, what);
        long n = file.get(I64, pos);
        if (n < 0 || n > (size - pos - 8) / minItemBytes) {
            throw new GgufFormatException(what + " " + Long.toUnsignedString(n) + " is larger than the file can hold", pos);
        }
        pos += 8;
        return n;
    }

    private String string(String what) {
        need(8, "length of " + what);
        long len = file.get(I64, pos);
        if (len < 0 || len > size - pos - 8) {
            throw new GgufFormatException("length " + Long.toUnsignedString(len) + " of " + what + " is larger than the " + (size - pos - 8) + " bytes left", pos);
        }
        if (len > Integer.MAX_VALUE - 16) throw new GgufFormatException(what + " is longer than 2 GiB", pos);
        pos += 8;
        byte[] bytes = file.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private ValueType valueType(String what) {
        need(4, what);
        int id = file.get(I32, pos);
        ValueType t = ValueType.byId(id);
        if (t == null) throw new GgufFormatException("unknown metadata value type id " + Integer.toUnsignedString(id) + " for " + what, pos);
        pos += 4;
        return t;
    }

    private Object value(ValueType type, String key, int depth) {
        if (type == ValueType.STRING) return string("value of '" + key + "'");
        if (type == ValueType.ARRAY) return array(key, depth);
        need(type.size, "value of '" + key + "'");
        Object v = switch (type) {
            case UINT8, INT8 -> file.get(ValueLayout.JAVA_BYTE, pos);
            case UINT16, INT16 -> file.get(I16, pos);
            case UINT32, INT32 -> file.get(I32, pos);
            case UINT64, INT64 -> file.get(I64, pos);
            case FLOAT32 -> file.get(F32, pos);
            case FLOAT64 -> file.get(F64, pos);
            case BOOL -> bool(key);
            default -> throw new AssertionError(type);
        };
        pos += type.size;
        return v;
    }

    private boolean bool(String key) {
        byte b = file.get(ValueLayout.JAVA_BYTE, pos);
        if (b != 0 && b != 1) throw new GgufFormatException("bool value " + b + " of '" + key + "' is neither 0 nor 1", pos);
        return b == 1;
    }

    private MetadataArray array(String key, int depth) {
        if (depth >= MAX_ARRAY_NESTING) throw new GgufFormatException("arrays nested deeper than " + MAX_ARRAY_NESTING + " in '" + key + "'", pos);
        ValueType et = valueType("element type of array '" + key + "'");
        long n = count("length of array '" + key + "'", et.minEncodedSize());
        if (n > Integer.MAX_VALUE - 16) throw new GgufFormatException("array '" + key + "' has more than 2^31 elements", pos);
        int len = (int) n;
        Object values = switch (et) {
            case UINT8, INT8 -> bulk(len, ValueLayout.JAVA_BYTE, new byte[len]);
            case UINT16, INT16 -> bulk(len, I16, new short[len]);
            case UINT32, INT32 -> bulk(len, I32, new int[len]);
            case UINT64, INT64 -> bulk(len, I64, new long[len]);
            case FLOAT32 -> bulk(len, F32, new float[len]);
            case FLOAT64 -> bulk(len, F64, new double[len]);
            case BOOL -> {
                boolean[] b = new boolean[len];
                for (int i = 0; i < len; i++, pos++) b[i] = bool(key);
                yield b;
            }
            case STRING -> {
                String[] s = new String[len];
                for (int i = 0; i < len; i++) s[i] = string("element " + i + " of '" + key + "'");
                yield s;
            }
            case ARRAY -> {
                MetadataArray[] a = new MetadataArray[len];
                for (int i = 0; i < len; i++) {
                    a[i] = array(key, depth + 1);
                }
                yield a;
            }
        };
        return new MetadataArray(et, values);
    }

    /** Copies {@code len} little-endian elements into {@code dst}; the count was already checked against the file. */
    private Object bulk(int len, ValueLayout layout, Object dst) {
        MemorySegment target = switch (dst) {
            case byte[] b -> MemorySegment.ofArray(b);
            case short[] s -> MemorySegment.ofArray(s);
            case int[] i -> MemorySegment.ofArray(i);
            case long[] l -> MemorySegment.ofArray(l);
            case float[] f -> MemorySegment.ofArray(f);
            case double[] d -> MemorySegment.ofArray(d);
            default -> throw new AssertionError(dst);
        };
        MemorySegment.copy(file, layout, pos, target, layout.withOrder(ByteOrder.nativeOrder()).withByteAlignment(layout.byteSize()), 0, len);
        pos += len * layout.byteSize();
        return dst;
    }
}
