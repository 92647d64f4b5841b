package dev.koboldj.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.koboldj.engine.backend.BackendOptions;
import dev.koboldj.engine.backend.BackendProvider;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens the Vulkan backend for tests with the Khronos validation layer and synchronisation validation. Without a
 * Vulkan device the tests skip with a printed reason, except where {@code KOBOLDJ_REQUIRE_VULKAN=1} (CI, which
 * installs Mesa's lavapipe and the layer): there a missing device or layer fails.
 */
final class VulkanTestSupport {
    private VulkanTestSupport() {
    }

    static boolean required() {
        return "1".equals(System.getenv("KOBOLDJ_REQUIRE_VULKAN"));
    }

    /** Skips (or fails where Vulkan is required) when no device is usable. */
    static void assumeVulkan() {
        BackendProvider.Probe probe = new VulkanProvider().probe();
        if (probe.available()) return;
        String reason = "Vulkan tests skipped: " + probe.reason();
        if (required()) fail("KOBOLDJ_REQUIRE_VULKAN=1 but " + probe.reason());
        System.out.println(reason);
        Assumptions.abort(reason);
    }

    static VulkanConfig config() {
        return VulkanConfig.fromSystemProperties().withValidation(true);
    }

    static VulkanBackend open() {
        return open(BackendOptions.defaults(), config());
    }

    static VulkanBackend open(BackendOptions options, VulkanConfig config) {
        assumeVulkan();
        VulkanBackend backend = VulkanBackend.open(options, config);
        if (!backend.validating()) {
            String why = "the Khronos validation layer (" + VulkanInstance.VALIDATION_LAYER + ") is not installed";
            if (required()) {
                backend.close();
                fail("KOBOLDJ_REQUIRE_VULKAN=1 but " + why);
            }
            System.out.println("Vulkan tests run without validation: " + why);
        }
        return backend;
    }

    /** Fails when the validation layer reported anything since the last check. */
    static void assertNoValidationMessages(VulkanBackend backend) {
        List<String> messages = backend.validationLog().drain();
        assertEquals(List.of(), messages, "validation messages");
    }

    /** max |actual - expected| / max |expected| (the normalised error every conformance bound is stated in). */
    static double normalisedError(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "lengths");
        double maxRef = 0, maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Float.isFinite(actual[i]), () -> "non-finite result");
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    static void assertClose(float[] expected, float[] actual, double bound, String what) {
        double err = normalisedError(expected, actual);
        assertTrue(err <= bound, () -> what + ": normalised error " + err + " above " + bound);
    }
}
