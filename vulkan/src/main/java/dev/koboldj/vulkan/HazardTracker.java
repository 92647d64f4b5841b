package dev.koboldj.vulkan;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides where a recorded command needs a barrier: when it reads or writes a range that a command since the last
 * barrier wrote, or writes a range one of them read (read-after-write, write-after-write, write-after-read).
 * Independent commands (the q, k and v projections of a layer) then run without barriers between them.
 */
final class HazardTracker {
    private final List<Binding> pending = new ArrayList<>();

    boolean conflicts(Binding[] next) {
        for (Binding n : next) {
            if (n == null) continue;
            for (Binding p : pending) {
                if ((n.write() || p.write()) && n.overlaps(p)) return true;
            }
        }
        return false;
    }

    void record(Binding[] accesses) {
        for (Binding b : accesses) if (b != null) pending.add(b);
    }

    /** A barrier was recorded: every earlier access is ordered before what follows. */
    void clear() {
        pending.clear();
    }
}
