package dev.koboldj.server.scheduling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddingQueueTest {
    private EmbeddingQueue queue;
    private BackendWorker worker;
    private final GatedForward forward = new GatedForward();

    private void start(int maxTokens, int maxSequences, int maxRequests) {
        queue = new EmbeddingQueue("test", new EmbeddingQueue.Limits(maxTokens, maxSequences, maxRequests), BatchObserver.NONE);
        worker = new BackendWorker(queue, forward, BatchObserver.NONE).start();
    }

    @AfterEach
    void stop() {
        forward.open();
        worker.close();
    }

    private static int[][] seqs(int count, int length, int base) {
        int[][] s = new int[count][length];
        for (int i = 0; i < count; i++) for (int j = 0; j < length; j++) s[i][j] = base + i * 100 + j;
        return s;
    }

    private static void assertVectors(int[][] seqs, List<float[]> got) {
        assertEquals(seqs.length, got.size());
        for (int i = 0; i < seqs.length; i++) assertArrayEquals(GatedForward.expected(seqs[i]), got.get(i), "input " + i);
    }

    @Test
    void aRequestLargerThanOneBatchIsSplitAndReassembledInOrder() throws Exception {
        forward.open();
        start(10, 100, 10);
        int[][] s = seqs(7, 4, 1); // 28 tokens, at most 2 sequences (8 tokens) per batch
        EmbedJob job = queue.submit(s, 0, false);
        assertVectors(s, job.result().get(30, TimeUnit.SECONDS));
        assertEquals(4, forward.batches().size());
        for (int[][] b : forward.batches()) assertTrue(Arrays.stream(b).mapToInt(x -> x.length).sum() <= 10);
    }

    @Test
    void concurrentRequestsArePackedIntoOneBatchUpToTheSequenceLimit() throws Exception {
        start(1000, 5, 10);
        EmbedJob first = queue.submit(seqs(1, 3, 1), 0, false);
        forward.awaitBatch(); // the worker holds the first batch; the next three requests queue up behind it
        int[][] a = seqs(2, 3, 10), b = seqs(2, 3, 20), c = seqs(3, 3, 30);
        EmbedJob ja = queue.submit(a, 0, false), jb = queue.submit(b, 0, false), jc = queue.submit(c, 0, false);
        forward.open();
        assertVectors(a, ja.result().get(30, TimeUnit.SECONDS));
        assertVectors(b, jb.result().get(30, TimeUnit.SECONDS));
        assertVectors(c, jc.result().get(30, TimeUnit.SECONDS));
        first.result().get(30, TimeUnit.SECONDS);
        List<int[][]> batches = forward.batches();
        assertEquals(3, batches.size(), "one held batch, then 5 sequences (a, b and one of c), then the rest of c");
        assertEquals(5, batches.get(1).length);
        assertEquals(2, batches.get(2).length);
    }

    @Test
    void aCancelledRequestIsDroppedBeforeItsSequencesAreComputed() throws Exception {
        start(1000, 100, 10);
        queue.submit(seqs(1, 2, 1), 0, false);
        forward.awaitBatch();
        int[][] gone = seqs(3, 2, 500);
        EmbedJob cancelled = queue.submit(gone, 0, false);
        int[][] kept = seqs(2, 2, 700);
        EmbedJob live = queue.submit(kept, 0, false);
        cancelled.cancel();
        forward.open();
        assertVectors(kept, live.result().get(30, TimeUnit.SECONDS));
        for (int[][] b : forward.batches()) for (int[] s : b) assertTrue(s[0] < 500 || s[0] >= 700, "a cancelled sequence reached the model: " + s[0]);
    }

    @Test
    void beyondTheRequestLimitSubmissionsAreRefusedAtOnce() throws Exception {
        start(1000, 100, 2);
        EmbedJob a = queue.submit(seqs(1, 2, 1), 0, false);
        forward.awaitBatch();
        EmbedJob b = queue.submit(seqs(1, 2, 2), 0, false);
        assertThrows(QueueFullException.class, () -> queue.submit(seqs(1, 2, 3), 0, false));
        assertEquals(2, queue.waiting());
        forward.open();
        a.result().get(30, TimeUnit.SECONDS);
        b.result().get(30, TimeUnit.SECONDS);
        EmbedJob c = queue.submit(seqs(1, 2, 3), 0, false);
        c.result().get(30, TimeUnit.SECONDS);
    }

    @Test
    void dimensionsAndNormalisationApplyPerRequest() throws Exception {
        forward.open();
        start(1000, 100, 10);
        int[][] s = {{3, 4}};
        float[] raw = GatedForward.expected(s[0]); // {7, 2, 3}
        float[] cut = queue.submit(s, 2, false).result().get(30, TimeUnit.SECONDS).getFirst();
        assertArrayEquals(new float[]{raw[0], raw[1]}, cut);
        float[] unit = queue.submit(s, 2, true).result().get(30, TimeUnit.SECONDS).getFirst();
        double norm = Math.sqrt(raw[0] * raw[0] + raw[1] * raw[1]);
        assertArrayEquals(new float[]{(float) (raw[0] / norm), (float) (raw[1] / norm)}, unit, 1e-6f);
    }

    @Test
    void aFailedForwardPassFailsItsRequestsAndTheWorkerGoesOn() throws Exception {
        queue = new EmbeddingQueue("test", new EmbeddingQueue.Limits(1000, 100, 10), BatchObserver.NONE);
        Forward failingOnZero = seqs -> {
            if (seqs[0][0] == 0) throw new IllegalStateException("boom");
            return forward.run(seqs);
        };
        forward.open();
        worker = new BackendWorker(queue, failingOnZero, BatchObserver.NONE).start();
        EmbedJob bad = queue.submit(new int[][]{{0, 1}}, 0, false);
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.result().get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof InferenceException);
        int[][] ok = seqs(2, 2, 5);
        assertVectors(ok, queue.submit(ok, 0, false).result().get(30, TimeUnit.SECONDS));
    }
}
