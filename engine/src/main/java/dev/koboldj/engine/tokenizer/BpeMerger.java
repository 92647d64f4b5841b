package dev.koboldj.engine.tokenizer;

import java.util.Arrays;

/**
 * Rank-ordered BPE merging over token ids, as Hugging Face's BPE model does it: repeatedly merge the adjacent pair
 * with the lowest merge rank, the leftmost one among equals. Short words are merged by scanning; long ones through a
 * binary heap of (rank, position) over a linked list of symbols, so a 1 MB word costs O(n log n).
 */
final class BpeMerger {
    /** Scanning is cheaper than the heap below this many symbols. */
    private static final int SCAN_LIMIT = 48;

    /** Rank of the merge {@code left right}, keyed {@code left << 32 | right}. */
    private final LongIntMap ranks;
    /** The token id that merge {@code rank} produces. */
    private final int[] results;

    BpeMerger(LongIntMap ranks, int[] results) {
        this.ranks = ranks;
        this.results = results;
    }

    private int rank(int left, int right) {
        return ranks.get((long) left << 32 | (right & 0xFFFFFFFFL), Integer.MAX_VALUE);
    }

    /** Merges {@code symbols[0, n)} in place and appends the resulting ids to {@code out}. */
    void merge(int[] symbols, int n, IntList out) {
        if (n <= SCAN_LIMIT) {
            mergeByScanning(symbols, n, out);
        } else {
            mergeWithHeap(symbols, n, out);
        }
    }

    private void mergeByScanning(int[] sym, int n, IntList out) {
        while (n > 1) {
            int best = Integer.MAX_VALUE;
            int at = -1;
            for (int i = 0; i + 1 < n; i++) {
                int r = rank(sym[i], sym[i + 1]);
                if (r < best) {
                    best = r;
                    at = i;
                }
            }
            if (at < 0) break;
            sym[at] = results[best];
            System.arraycopy(sym, at + 2, sym, at + 1, n - at - 2);
            n--;
        }
        for (int i = 0; i < n; i++) out.add(sym[i]);
    }

    private void mergeWithHeap(int[] sym, int n, IntList out) {
        int[] prev = new int[n];
        int[] next = new int[n];
        boolean[] dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            int r = rank(sym[i], sym[i + 1]);
            if (r != Integer.MAX_VALUE) heap.push((long) r << 32 | i);
        }
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int r = (int) (top >>> 32);
            int pos = (int) top;
            if (dead[pos]) continue;
            int right = next[pos];
            if (right < 0 || rank(sym[pos], sym[right]) != r) continue; // stale entry
            sym[pos] = results[r];
            dead[right] = true;
            next[pos] = next[right];
            if (next[pos] >= 0) prev[next[pos]] = pos;
            if (prev[pos] >= 0) {
                int pr = rank(sym[prev[pos]], sym[pos]);
                if (pr != Integer.MAX_VALUE) heap.push((long) pr << 32 | prev[pos]);
            }
            if (next[pos] >= 0) {
                int nr = rank(sym[pos], sym[next[pos]]);
                if (nr != Integer.MAX_VALUE) heap.push((long) nr << 32 | pos);
            }
        }
        for (int i = 0; i >= 0; i = next[i]) out.add(sym[i]);
    }

    /** A binary min-heap of longs. */
    static final class LongHeap {
        private long[] a;
        private int n;

        LongHeap(int capacity) {
            a = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return n == 0;
        }

        void push(long v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            int i = n++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= v) break;
                a[i] = a[p];
                i = p;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long last = a[--n];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= n) break;
                if (c + 1 < n && a[c + 1] < a[c]) c++;
                if (a[c] >= last) break;
                a[i] = a[c];
                i = c;
            }
            a[i] = last;
            return top;
        }
    }
}
