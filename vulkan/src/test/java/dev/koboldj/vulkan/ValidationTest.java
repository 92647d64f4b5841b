package dev.koboldj.vulkan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.ElementType;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The conformance tests rely on the validation layer; this proves it reports a missing barrier here. */
class ValidationTest {
    @Test
    void aMissingBarrierIsReported() {
        try (VulkanBackend gpu = VulkanTestSupport.open()) {
            Assumptions.assumeTrue(gpu.validating(), "no validation layer: nothing to check");
            try (CommandStream s = gpu.stream()) {
                ((VulkanStream) s).barriers = false;
                Activations a = gpu.allocate(ElementType.F32, 4, 64), b = gpu.allocate(ElementType.F32, 4, 64);
                s.write(a, new float[256]);
                s.add(a, a, b); // reads a right after the copy that wrote it: read-after-write without a barrier
                s.add(b, b, a);
                s.await();
            }
            List<String> messages = gpu.validationLog().drain();
            assertTrue(messages.stream().anyMatch(m -> m.contains("SYNC-HAZARD")), "expected a synchronisation hazard, got " + messages);
        }
    }
}
