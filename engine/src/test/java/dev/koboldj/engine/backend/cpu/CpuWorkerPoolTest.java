package dev.koboldj.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class CpuWorkerPoolTest {
    @Test
    void everyTaskRunsExactlyOnceAndWorkersShareTheWork() throws Exception {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int round = 0; round < 2000; round++) {
                int tasks = 1 + round % 37;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                pool.run(tasks, (t, w) -> runs.incrementAndGet(t));
                for (int t = 0; t < tasks; t++) assertEquals(1, runs.get(t), "round " + round + " task " + t);
                if (round % 500 == 0) Thread.sleep(2); // let the workers park, so the wake-up path runs too
            }
            ConcurrentHashMap<Integer, Boolean> workers = new ConcurrentHashMap<>();
            pool.run(64, (t, w) -> {
                workers.put(w, true);
                busy(200_000);
            });
            assertTrue(workers.keySet().stream().allMatch(w -> w >= 0 && w < 3));
        }
    }

    @Test
    void callersFromManyThreadsAreSerialised() throws Exception {
        try (WorkerPool pool = new WorkerPool(2)) {
            int[] inside = {0};
            Thread[] callers = new Thread[4];
            AtomicIntegerArray errors = new AtomicIntegerArray(1);
            for (int c = 0; c < callers.length; c++) {
                callers[c] = new Thread(() -> {
                    for (int i = 0; i < 300; i++) {
                        pool.run(4, (t, w) -> {
                            synchronized (inside) {
                                inside[0]++;
                            }
                            CpuScratch s = pool.scratch(w);
                            float[] a = s.tile(8);
                            a[0] = w;
                            busy(500);
                            if (a[0] != w) errors.incrementAndGet(0); // another job's task used this worker's scratch
                        });
                    }
                });
                callers[c].start();
            }
            for (Thread t : callers) t.join();
            assertEquals(4 * 300 * 4, inside[0]);
            assertEquals(0, errors.get(0));
        }
    }

    @Test
    void aFailingTaskFailsTheRunAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.run(10, (t, w) -> {
                if (t == 7) throw boom;
            })));
            AtomicIntegerArray runs = new AtomicIntegerArray(5);
            pool.run(5, (t, w) -> runs.incrementAndGet(t));
            for (int t = 0; t < 5; t++) assertEquals(1, runs.get(t));
        }
    }

    private static volatile long sink;

    private static void busy(long iterations) {
        long x = 0;
        for (long i = 0; i < iterations; i++) x += i * 31;
        sink = x;
    }
}
