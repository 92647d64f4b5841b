package dev.koboldj.engine.imports.onnx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model an importer needs: the graph's nodes (op type, inputs, outputs, integer attributes)
 * and its initializers (weights) as zero-copy slices. Field numbers are those of onnx.proto:
 * ModelProto.graph = 7; GraphProto.node = 1, initializer = 5; NodeProto.input = 1, output = 2, name = 3,
 * op_type = 4, attribute = 5; TensorProto.dims = 1, data_type = 2, float_data = 4, int64_data = 7, name = 8,
 * raw_data = 9; AttributeProto.name = 1, f = 2, i = 3.
 */
public final class OnnxGraph implements AutoCloseable {
    /** ONNX TensorProto.DataType values the importers read. */
    public static final int FLOAT = 1, INT64 = 7, FLOAT16 = 10;

    /** A node with its numeric attributes (f or i) and tensor attributes (t, e.g. a Constant's value). */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs, Map<String, Float> attributes,
                       Map<String, Initializer> tensors) {
    }

    /** An initializer: row-major {@code dims}, element type, and its little-endian bytes. */
    public record Initializer(String name, long[] dims, int dataType, MemorySegment data) {
        public long elementCount() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }

        public float[] floats() {
            if (dataType != FLOAT) throw new IllegalArgumentException("initializer " + name + " has ONNX data type " + dataType + ", not FLOAT");
            return data.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
        }
    }

    private final Arena arena;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Initializer> initializers = new LinkedHashMap<>();

    private OnnxGraph(Arena arena) {
        this.arena = arena;
    }

    public static OnnxGraph open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            OnnxGraph g = new OnnxGraph(arena);
            g.parseModel(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena));
            return g;
        } catch (IOException | RuntimeException e) {
            arena.close();
            if (e instanceof IllegalArgumentException) throw new IOException(file + " is not a readable ONNX model: " + e.getMessage(), e);
            throw e;
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Map<String, Initializer> initializers() {
        return initializers;
    }

    private void parseModel(MemorySegment model) {
        ProtoReader r = new ProtoReader(model);
        boolean sawGraph = false;
        while (r.next()) {
            if (r.field() == 7 && r.wireType() == ProtoReader.BYTES) {
                parseGraph(r.bytes());
                sawGraph = true;
            } else {
                r.skip();
            }
        }
        if (!sawGraph) throw new IllegalArgumentException("no graph in the model");
    }

    private void parseGraph(MemorySegment graph) {
        ProtoReader r = new ProtoReader(graph);
        while (r.next()) {
            if (r.field() == 1 && r.wireType() == ProtoReader.BYTES) nodes.add(parseNode(r.bytes()));
            else if (r.field() == 5 && r.wireType() == ProtoReader.BYTES) {
                Initializer init = parseTensor(r.bytes());
                initializers.put(init.name(), init);
            } else r.skip();
        }
    }

    private Node parseNode(MemorySegment node) {
        ProtoReader r = new ProtoReader(node);
        String name = "", op = "";
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        Map<String, Float> attrs = new LinkedHashMap<>();
        Map<String, Initializer> tensors = new LinkedHashMap<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> in.add(r.string());
                case 2 -> out.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                case 5 -> parseAttribute(r.bytes(), attrs, tensors);
                default -> r.skip();
            }
        }
        return new Node(name, op, List.copyOf(in), List.copyOf(out), attrs, tensors);
    }

    /** Keeps numeric attributes (f or i) and tensor attributes (t) by name; others are not needed by the importers. */
    private void parseAttribute(MemorySegment attr, Map<String, Float> numbers, Map<String, Initializer> tensors) {
        ProtoReader r = new ProtoReader(attr);
        String name = null;
        Float value = null;
        Initializer tensor = null;
        while (r.next()) {
            if (r.field() == 1 && r.wireType() == ProtoReader.BYTES) name = r.string();
            else if (r.field() == 2 && r.wireType() == ProtoReader.FIXED32) value = r.fixed32AsFloat();
            else if (r.field() == 3 && r.wireType() == ProtoReader.VARINT) value = (float) r.varint();
            else if (r.field() == 5 && r.wireType() == ProtoReader.BYTES) tensor = parseTensor(r.bytes());
            else r.skip();
        }
        if (name != null && value != null) numbers.put(name, value);
        if (name != null && tensor != null) tensors.put(name, tensor);
    }

    /** The node producing {@code output}, or null for graph inputs and initializers. */
    public Node producer(String output) {
        for (Node n : nodes) if (n.outputs().contains(output)) return n;
        return null;
    }

    /** Nodes reading {@code value}. */
    public List<Node> consumers(String value) {
        return nodes.stream().filter(n -> n.inputs().contains(value)).toList();
    }

    /** The value of a Constant node's output or an initializer as doubles, or null when it is neither. */
    public double[] constant(String value) {
        Initializer t = initializers.get(value);
        if (t == null) {
            Node p = producer(value);
            if (p == null || !p.opType().equals("Constant")) return null;
            t = p.tensors().get("value");
            if (t == null) return p.attributes().containsKey("value_float") ? new double[]{p.attributes().get("value_float")} : null;
        }
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfLong l = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        int n = (int) t.elementCount();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (t.dataType()) {
                case FLOAT -> t.data().getAtIndex(f, i);
                case INT64 -> t.data().getAtIndex(l, i);
                case 11 -> t.data().getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i);
                case 6 -> t.data().getAtIndex(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i);
                default -> Double.NaN;
            };
        }
        return out;
    }

    private Initializer parseTensor(MemorySegment tensor) {
        ProtoReader r = new ProtoReader(tensor);
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        MemorySegment raw = null;
        List<Float> floatData = new ArrayList<>();
        List<Long> int64Data = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.int64s(dims::add);
                case 2 -> dataType = (int) r.varint();
                case 4 -> {
                    if (r.wireType() == ProtoReader.BYTES) {
                        MemorySegment packed = r.bytes();
                        for (long o = 0; o + 4 <= packed.byteSize(); o += 4) floatData.add(packed.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), o));
                    } else floatData.add(r.fixed32AsFloat());
                }
                case 7 -> r.int64s(int64Data::add);
                case 8 -> name = r.string();
                case 9 -> raw = r.bytes();
                default -> r.skip();
            }
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        if (raw == null) {
            if (!floatData.isEmpty()) {
                raw = arena.allocate(4L * floatData.size());
                for (int i = 0; i < floatData.size(); i++) raw.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, floatData.get(i));
            } else {
                raw = arena.allocate(8L * int64Data.size());
                for (int i = 0; i < int64Data.size(); i++) raw.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, int64Data.get(i));
            }
        }
        return new Initializer(name, d, dataType, raw);
    }

    @Override
    public void close() {
        arena.close();
    }
}
