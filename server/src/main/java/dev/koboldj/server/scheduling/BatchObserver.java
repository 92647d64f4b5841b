package dev.koboldj.server.scheduling;

/** What the scheduler reports about its work (implemented by the server's metrics). */
public interface BatchObserver {
    /** A request waited {@code nanos} between being queued and its first sequence entering a batch. */
    void queueWait(String model, long nanos);

    /** One forward pass ran over {@code sequences} sequences with {@code tokens} tokens in all. */
    void batch(String model, int sequences, int tokens, long nanos);

    /** How many requests are waiting or running for the model now. */
    void queueDepth(String model, int requests);

    BatchObserver NONE = new BatchObserver() {
        @Override
        public void queueWait(String model, long nanos) {
        }

        @Override
        public void batch(String model, int sequences, int tokens, long nanos) {
        }

        @Override
        public void queueDepth(String model, int requests) {
        }
    };
}
