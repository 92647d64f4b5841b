package dev.koboldj.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a SentencePiece precompiled charsmap from rewrite rules, in the layout {@link PrecompiledCharsMap}
 * documents: {@code u32 trieBytes}, the Darts-clone double array, the NUL-terminated replacements.
 *
 * <p>Construction is deliberately simple: every trie node that has children or a value gets a fresh block of 256
 * units at a multiple of 256, so its children sit at {@code block + byte} and its value unit at {@code block}
 * ({@code block ^ 0}). A node's own unit stores its incoming byte (label), the has-leaf bit and
 * {@code offset = position ^ block}; value units have bit 31 set. Wasteful, but exact, and small for test rules.
 */
final class CharsMapBuilder {
    private CharsMapBuilder() {
    }

    private static final class Node {
        final TreeMap<Integer, Node> children = new TreeMap<>();
        int value = -1;
    }

    static byte[] build(Map<String, String> rules) {
        Node root = new Node();
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        for (Map.Entry<String, String> r : new TreeMap<>(rules).entrySet()) {
            byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
            if (key.length == 0) throw new IllegalArgumentException("empty key");
            Node n = root;
            for (byte b : key) {
                if (b == 0) throw new IllegalArgumentException("NUL in key");
                n = n.children.computeIfAbsent(b & 0xFF, k -> new Node());
            }
            n.value = strings.size();
            strings.writeBytes(r.getValue().getBytes(StandardCharsets.UTF_8));
            strings.write(0);
        }
        List<Integer> units = new ArrayList<>();
        for (int i = 0; i < 256; i++) units.add(0); // block 0: the root's unit at index 0
        place(root, 0, -1, units);
        ByteBuffer out = ByteBuffer.allocate(4 + units.size() * 4 + strings.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(units.size() * 4);
        for (int u : units) out.putInt(u);
        out.put(strings.toByteArray());
        return out.array();
    }

    /** Writes the unit of {@code node} at {@code position} (label {@code label}) and, recursively, its block. */
    private static void place(Node node, int position, int label, List<Integer> units) {
        boolean hasLeaf = node.value >= 0;
        if (node.children.isEmpty() && !hasLeaf) {
            units.set(position, Math.max(label, 0));
            return;
        }
        int block = units.size();
        for (int i = 0; i < 256; i++) units.add(0);
        int offset = position ^ block;
        if (offset >= 1 << 21) throw new IllegalStateException("charsmap too large for this builder");
        units.set(position, offset << 10 | (hasLeaf ? 1 << 8 : 0) | Math.max(label, 0));
        if (hasLeaf) units.set(block, 0x80000000 | node.value);
        for (Map.Entry<Integer, Node> c : node.children.entrySet()) place(c.getValue(), block + c.getKey(), c.getKey(), units);
    }
}
