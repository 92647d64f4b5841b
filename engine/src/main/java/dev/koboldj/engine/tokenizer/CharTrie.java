package dev.koboldj.engine.tokenizer;

import java.util.Arrays;

/**
 * A trie over UTF-16 chars. Nodes are numbered from 0 (the root); the transition from node {@code n} on char
 * {@code c} is stored in a hash map under the key {@code n << 16 | c}, and each node carries one int value
 * (-1 = no key ends here). Walks are done by the caller with {@link #child} and {@link #value}, so matching never
 * allocates.
 */
final class CharTrie {
    static final int NONE = -1;
    private final LongIntMap transitions;
    private int[] values;
    private int nodes = 1;

    CharTrie(int expectedNodes) {
        transitions = new LongIntMap(expectedNodes);
        values = new int[Math.max(16, expectedNodes)];
        Arrays.fill(values, NONE);
    }

    /** Adds {@code key} with {@code value} unless the key is already present (first one wins). */
    void add(CharSequence key, int value) {
        int node = 0;
        for (int i = 0; i < key.length(); i++) {
            long k = (long) node << 16 | key.charAt(i);
            int child = transitions.get(k, NONE);
            if (child == NONE) {
                child = nodes++;
                if (child == values.length) {
                    int old = values.length;
                    values = Arrays.copyOf(values, old * 2);
                    Arrays.fill(values, old, values.length, NONE);
                }
                transitions.putIfAbsent(k, child);
            }
            node = child;
        }
        if (values[node] == NONE) values[node] = value;
    }

    /** The node reached from {@code node} on {@code c}, or {@link #NONE}. */
    int child(int node, char c) {
        return transitions.get((long) node << 16 | c, NONE);
    }

    /** The value of the key ending at {@code node}, or {@link #NONE}. */
    int value(int node) {
        return values[node];
    }

    boolean isEmpty() {
        return nodes == 1;
    }
}
