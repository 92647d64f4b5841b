package dev.koboldj.vulkan;

import java.util.ArrayList;
import java.util.List;

/**
 * Messages the Khronos validation layer reported through the debug messenger (warnings and errors only). The
 * conformance tests fail when any message was recorded: lavapipe runs shaders even with a missing barrier or an
 * unenabled feature, so only the layer catches those mistakes.
 */
public final class ValidationLog {
    private final List<String> messages = new ArrayList<>();

    synchronized void record(String severity, String message) {
        messages.add(severity + ": " + message);
    }

    /** Messages recorded so far (a copy). */
    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    /** Returns the recorded messages and forgets them. */
    public synchronized List<String> drain() {
        List<String> copy = List.copyOf(messages);
        messages.clear();
        return copy;
    }
}
