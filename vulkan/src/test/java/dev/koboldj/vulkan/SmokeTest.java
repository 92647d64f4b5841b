package dev.koboldj.vulkan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.ElementType;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void addsTwoBuffers() {
        try (VulkanBackend b = VulkanTestSupport.open(); CommandStream s = b.stream()) {
            System.out.println(b.deviceName());
            Activations x = b.allocate(ElementType.F32, 3, 5), y = b.allocate(ElementType.F32, 3, 5), o = b.allocate(ElementType.F32, 3, 5);
            float[] a = new float[15], c = new float[15], r = new float[15], e = new float[15];
            for (int i = 0; i < 15; i++) {
                a[i] = i;
                c[i] = 100 * i;
                e[i] = 101 * i;
            }
            s.write(x, a);
            s.write(y, c);
            s.add(x, y, o);
            s.read(o, r);
            s.await();
            assertArrayEquals(e, r);
            VulkanTestSupport.assertNoValidationMessages(b);
        }
    }
}
