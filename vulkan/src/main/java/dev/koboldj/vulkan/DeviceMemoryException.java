package dev.koboldj.vulkan;

import dev.koboldj.engine.backend.InsufficientMemoryException;
import dev.koboldj.engine.backend.MemoryUsage;

/**
 * A weight or activation buffer that does not fit the device: thrown before the driver is asked for the memory
 * (or when it refuses), with the numbers a user needs to choose a smaller model, batch or another device.
 */
public final class DeviceMemoryException extends InsufficientMemoryException {
    DeviceMemoryException(String what, long requested, long used, long capacity, String device) {
        super(what + " needs " + MemoryUsage.mib(requested) + " more on " + device + ", which holds "
                + MemoryUsage.mib(used) + " for this model already, of " + MemoryUsage.mib(capacity) + " usable");
    }
}
