package dev.koboldj.engine.tokenizer;

/**
 * Token text to id, looked up without allocating: a key may be given as a whole string or as a char range of a
 * buffer. Layout: an open-addressing table of {@code id + 1} (0 = empty slot) over the caller's key array, with the
 * key's {@link String#hashCode()} beside each slot so that a probe touches the key string only when the hashes are
 * equal; range lookups recompute that hash over the range.
 */
final class StringIdMap {
    private final String[] keys;
    private final int[] table;
    private final int[] hashes;
    private final int mask;

    /**
     * Indexes {@code keys[id]} for every id whose key is non-null and {@code include} accepts.
     *
     * @throws IllegalArgumentException naming the first duplicate key
     */
    StringIdMap(String[] keys, java.util.function.IntPredicate include) {
        this.keys = keys;
        int cap = Integer.highestOneBit(Math.max(4, keys.length) * 2 - 1) << 1;
        table = new int[cap];
        hashes = new int[cap];
        mask = cap - 1;
        for (int id = 0; id < keys.length; id++) {
            if (keys[id] == null || !include.test(id)) continue;
            int i = slot(keys[id].hashCode());
            while (table[i] != 0) {
                String other = keys[table[i] - 1];
                if (other.equals(keys[id])) {
                    throw new IllegalArgumentException("duplicate token in vocabulary: '" + keys[id] + "' has ids " + (table[i] - 1) + " and " + id);
                }
                i = (i + 1) & mask;
            }
            table[i] = id + 1;
            hashes[i] = keys[id].hashCode();
        }
    }

    private int slot(int hash) {
        int h = hash * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    /** The id of {@code key}, or -1. */
    int get(String key) {
        int h = key.hashCode();
        int i = slot(h);
        while (true) {
            int e = table[i];
            if (e == 0) return -1;
            if (hashes[i] == h && keys[e - 1].equals(key)) return e - 1;
            i = (i + 1) & mask;
        }
    }

    /** The id of {@code buf[from, to)}, or -1. */
    int get(char[] buf, int from, int to) {
        int h = 0;
        for (int k = from; k < to; k++) h = 31 * h + buf[k];
        int i = slot(h);
        int len = to - from;
        while (true) {
            int e = table[i];
            if (e == 0) return -1;
            if (hashes[i] == h) {
                String key = keys[e - 1];
                if (key.length() == len && regionEquals(key, buf, from)) return e - 1;
            }
            i = (i + 1) & mask;
        }
    }

    /** The id of {@code s.substring(from, to)}, or -1. */
    int get(String s, int from, int to) {
        int h = 0;
        for (int k = from; k < to; k++) h = 31 * h + s.charAt(k);
        int i = slot(h);
        int len = to - from;
        while (true) {
            int e = table[i];
            if (e == 0) return -1;
            if (hashes[i] == h) {
                String key = keys[e - 1];
                if (key.length() == len && s.regionMatches(from, key, 0, len)) return e - 1;
            }
            i = (i + 1) & mask;
        }
    }

    private static boolean regionEquals(String key, char[] buf, int from) {
        for (int k = 0, n = key.length(); k < n; k++) if (key.charAt(k) != buf[from + k]) return false;
        return true;
    }
}
