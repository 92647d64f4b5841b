package dev.koboldj.vulkan;

import static dev.koboldj.engine.backend.ElementType.F32;
import static dev.koboldj.engine.backend.ElementType.I32;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.backend.Rope;
import dev.koboldj.engine.backend.SequenceLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkBufferCopy;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkDescriptorBufferInfo;
import org.lwjgl.vulkan.VkMemoryBarrier;
import org.lwjgl.vulkan.VkWriteDescriptorSet;

/**
 * Records operations into one command buffer and submits it once at {@link #await()}: a whole forward pass is one
 * submission. Host data for {@link #write} is copied into a host-visible ring at record time and copied on the
 * device in order; {@link #read} copies into a readback ring whose contents reach the host arrays after the fence.
 * Barriers go only where {@link HazardTracker} finds a dependency. Shape checks throw at record time, as on the CPU.
 */
final class VulkanStream implements CommandStream {
    private static final int ALL_WRITES = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    private static final int ALL_ACCESS = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    private static final int STAGES = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;

    private record PendingRead(HostRing.Slice slice, float[] dst) {
    }

    private final VulkanBackend backend;
    private final VulkanDevice device;
    private final StreamResources resources;
    private final VkCommandBuffer commands;
    private final HostRing uploads;
    private final HostRing readbacks;
    private final DescriptorArena descriptors;
    private final HazardTracker hazards = new HazardTracker();
    private final List<PendingRead> reads = new ArrayList<>();
    private boolean recording;
    private boolean closed;
    /** Tests turn barriers off to prove the validation layer catches a missing one. */
    boolean barriers = true;

    VulkanStream(VulkanBackend backend, StreamResources resources) {
        this.backend = backend;
        this.device = backend.device;
        this.resources = resources;
        this.commands = resources.commands;
        this.uploads = resources.uploads;
        this.readbacks = resources.readbacks;
        this.descriptors = resources.descriptors;
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    private DeviceActivations buf(Activations a, dev.koboldj.engine.backend.ElementType type, String role) {
        return DeviceActivations.of(a, backend, type, role);
    }

    private VulkanWeights weights(DeviceWeights w, String role) {
        return VulkanWeights.of(w, backend, role);
    }

    // ---- recording plumbing ----

    private void begin() {
        if (closed) throw new IllegalStateException("stream is closed");
        if (recording) return;
        try (MemoryStack stack = stackPush()) {
            VulkanException.check(vkBeginCommandBuffer(commands, VkCommandBufferBeginInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT)), "vkBeginCommandBuffer");
        }
        recording = true;
    }

    /** Orders the accesses after every earlier command when one of them conflicts. */
    private void order(Binding... accesses) {
        if (!barriers || !hazards.conflicts(accesses)) {
            hazards.record(accesses);
            return;
        }
        try (MemoryStack stack = stackPush()) {
            VkMemoryBarrier.Buffer barrier = VkMemoryBarrier.calloc(1, stack).sType$Default().srcAccessMask(ALL_WRITES).dstAccessMask(ALL_ACCESS);
            vkCmdPipelineBarrier(commands, STAGES, STAGES, 0, barrier, null, null);
        }
        hazards.clear();
        hazards.record(accesses);
    }

    /** Records a dispatch of {@code groups} workgroups, flattened onto a 2D grid (see grid.glsl). */
    private void dispatch(Kernel kernel, long groups, int[] push, Binding... bindings) {
        if (groups == 0) return;
        int maxX = device.info.maxWorkGroupCount[0];
        int x = (int) Math.min(groups, maxX);
        long y = (groups + x - 1) / x;
        check(y <= device.info.maxWorkGroupCount[1], kernel + ": " + groups + " workgroups exceed the device's grid");
        dispatch2d(kernel, x, (int) y, push, bindings);
    }

    private void dispatch2d(Kernel kernel, int x, int y, int[] push, Binding... bindings) {
        if (x == 0 || y == 0) return;
        check(x <= device.info.maxWorkGroupCount[0] && y <= device.info.maxWorkGroupCount[1], kernel + ": grid " + x + "x" + y + " exceeds the device's limits");
        if (bindings.length != kernel.bindings() || push.length * 4 != kernel.pushBytes()) {
            throw new IllegalStateException(kernel + ": " + bindings.length + " bindings, " + push.length * 4 + " push bytes");
        }
        Pipelines.Pipeline pipeline = backend.pipelines.get(kernel);
        begin();
        order(bindings);
        long set = descriptors.allocate(pipeline.setLayout());
        try (MemoryStack stack = stackPush()) {
            VkWriteDescriptorSet.Buffer writes = VkWriteDescriptorSet.calloc(bindings.length, stack);
            for (int i = 0; i < bindings.length; i++) {
                Binding b = bindings[i];
                VkDescriptorBufferInfo.Buffer info = VkDescriptorBufferInfo.calloc(1, stack).buffer(b.buffer()).offset(b.offset()).range(b.range());
                writes.get(i).sType$Default().dstSet(set).dstBinding(i).descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(1).pBufferInfo(info);
            }
            vkUpdateDescriptorSets(device.handle, writes, null);
            vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.handle());
            vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout(), 0, stack.longs(set), null);
            if (push.length > 0) vkCmdPushConstants(commands, pipeline.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, stack.ints(push));
            vkCmdDispatch(commands, x, y, 1);
        }
    }

    private void copy(Binding src, long srcOffset, Binding dst, long dstOffset, long bytes) {
        if (bytes == 0) return;
        begin();
        order(src, dst);
        try (MemoryStack stack = stackPush()) {
            vkCmdCopyBuffer(commands, src.buffer(), dst.buffer(), VkBufferCopy.calloc(1, stack)
                    .srcOffset(src.offset() + srcOffset).dstOffset(dst.offset() + dstOffset).size(bytes));
        }
    }

    /** Host data for a shader (small tables) in the upload ring, bound directly. */
    private Binding table(int[] data) {
        HostRing.Slice s = uploads.allocate(4L * Math.max(1, data.length));
        MemorySegment.copy(data, 0, s.host(), ValueLayout.JAVA_INT, 0, data.length);
        return s.binding(false);
    }

    private Binding table(float[] data) {
        HostRing.Slice s = uploads.allocate(4L * Math.max(1, data.length));
        MemorySegment.copy(data, 0, s.host(), ValueLayout.JAVA_FLOAT, 0, data.length);
        return s.binding(false);
    }

    private Binding unused() {
        return backend.unused.read();
    }

    private static int f(float v) {
        return Float.floatToRawIntBits(v);
    }

    // ---- operations ----

    @Override
    public void write(Activations dst, float[] src) {
        DeviceActivations d = buf(dst, F32, "destination");
        check(src.length <= (long) d.capacity * d.cols(), "write of " + src.length + " floats into a buffer of " + (long) d.capacity * d.cols());
        if (src.length == 0) return;
        HostRing.Slice s = uploads.allocate(4L * src.length);
        MemorySegment.copy(src, 0, s.host(), ValueLayout.JAVA_FLOAT, 0, src.length);
        copy(s.binding(false), 0, d.write(), 0, 4L * src.length);
    }

    @Override
    public void write(Activations dst, int[] src) {
        DeviceActivations d = buf(dst, I32, "destination");
        check(src.length <= (long) d.capacity * d.cols(), "write of " + src.length + " ints into a buffer of " + (long) d.capacity * d.cols());
        if (src.length == 0) return;
        HostRing.Slice s = uploads.allocate(4L * src.length);
        MemorySegment.copy(src, 0, s.host(), ValueLayout.JAVA_INT, 0, src.length);
        copy(s.binding(false), 0, d.write(), 0, 4L * src.length);
    }

    @Override
    public void read(Activations src, float[] dst) {
        DeviceActivations s = buf(src, F32, "source");
        check(dst.length <= (long) s.rows() * s.cols(), "read of " + dst.length + " floats from " + s.rows() + "x" + s.cols());
        if (dst.length == 0) return;
        HostRing.Slice slice = readbacks.allocate(4L * dst.length);
        copy(s.read(), 0, slice.binding(true), 0, 4L * dst.length);
        reads.add(new PendingRead(slice, dst));
    }

    @Override
    public void getRows(DeviceWeights table, Activations ids, Activations out) {
        VulkanWeights t = weights(table, "table");
        DeviceActivations id = buf(ids, I32, "ids"), o = buf(out, F32, "out");
        check(o.cols() == t.cols() && id.rows() >= o.rows(), "getRows shapes: table " + t.rows() + "x" + t.cols() + ", out " + o.rows() + "x" + o.cols());
        Kernel k = Kernels.getRows(t.storage);
        long groups = ((long) o.rows() * ((t.cols() + 7) / 8) + 63) / 64;
        for (int i = 0; i < t.parts.size(); i++) {
            VulkanWeights.Part p = t.parts.get(i);
            dispatch(k, groups, new int[] {o.rows(), t.cols(), (int) t.rowBytes, p.rowStart(), p.rows(), t.rows(), id.cols(), i == 0 ? 1 : 0},
                    id.read(), p.binding(), o.write());
        }
    }

    @Override
    public void matmul(Activations x, DeviceWeights w, DeviceWeights bias, Activation act, Activations residual, Activations out) {
        DeviceActivations xb = buf(x, F32, "x"), ob = buf(out, F32, "out");
        VulkanWeights wb = weights(w, "weight");
        DeviceActivations rb = residual == null ? null : buf(residual, F32, "residual");
        check(xb.cols() == wb.cols() && ob.cols() == wb.rows() && xb.rows() >= ob.rows(), "matmul shapes: x " + xb.rows() + "x" + xb.cols()
                + ", " + wb.name() + " " + wb.rows() + "x" + wb.cols() + ", out " + ob.rows() + "x" + ob.cols());
        check(!ob.sameBuffer(xb), "matmul output must not alias its input");
        VulkanWeights bb = bias == null ? null : weights(bias, "bias");
        check(bb == null || (long) bb.rows() * bb.cols() == wb.rows(), "bias length " + (bb == null ? 0 : (long) bb.rows() * bb.cols()) + " for " + wb.rows() + " outputs");
        check(rb == null || (rb.cols() == ob.cols() && rb.rows() >= ob.rows()), "residual shape");
        int m = ob.rows();
        if (m == 0) return;
        int flags = (bb != null ? 1 : 0) | (rb != null ? 2 : 0);
        boolean coopmat = device.coopmat && m > 16;
        int tm = m <= 16 ? 1 : 4, tileRows = coopmat ? 64 : 16 * tm;
        Kernel k = coopmat ? Kernels.matmulCoopmat(wb.storage, device.info.subgroupSize, device.info.subgroupSizeControl) : Kernels.matmul(wb.storage, tm);
        for (VulkanWeights.Part p : wb.parts) {
            int[] push = {m, p.rows(), wb.cols(), (int) wb.rowBytes, p.rowStart(), ob.cols(), flags, act.ordinal()};
            dispatch2d(k, (p.rows() + 63) / 64, (m + tileRows - 1) / tileRows, push,
                    xb.read(), p.binding(), bb != null ? bb.vector() : unused(), rb != null ? rb.read() : unused(), ob.write());
        }
    }

    @Override
    public void add(Activations a, Activations b, Activations out) {
        DeviceActivations ab = buf(a, F32, "a"), bb = buf(b, F32, "b"), o = buf(out, F32, "out");
        check(ab.cols() == o.cols() && bb.cols() == o.cols() && ab.rows() >= o.rows() && bb.rows() >= o.rows(), "add shapes");
        binary(0, ab, bb, o);
    }

    @Override
    public void swiglu(Activations gate, Activations up, Activations out) {
        DeviceActivations g = buf(gate, F32, "gate"), u = buf(up, F32, "up"), o = buf(out, F32, "out");
        check(g.cols() == o.cols() && u.cols() == o.cols() && g.rows() >= o.rows() && u.rows() >= o.rows(), "swiglu shapes");
        binary(1, g, u, o);
    }

    private void binary(int op, DeviceActivations a, DeviceActivations b, DeviceActivations o) {
        long n = (long) o.rows() * o.cols();
        dispatch(Kernels.BINARY, (n + 255) / 256, new int[] {(int) n, op}, a.read(), b.read(), o.write());
    }

    @Override
    public void layerNorm(Activations x, DeviceWeights gamma, DeviceWeights beta, float eps, Activations out) {
        DeviceActivations xb = buf(x, F32, "x"), o = buf(out, F32, "out");
        VulkanWeights g = weights(gamma, "gamma"), b = beta == null ? null : weights(beta, "beta");
        int n = xb.cols();
        check(o.cols() == n && vectorLength(g) == n && (b == null || vectorLength(b) == n) && xb.rows() >= o.rows(), "layerNorm shapes");
        norm(0, xb, g.vector(), b == null ? unused() : b.vector(), b != null, n, eps, o);
    }

    @Override
    public void rmsNorm(Activations x, DeviceWeights gamma, float eps, Activations out) {
        DeviceActivations xb = buf(x, F32, "x"), o = buf(out, F32, "out");
        VulkanWeights g = weights(gamma, "gamma");
        int group = vectorLength(g);
        check(o.cols() == xb.cols() && xb.cols() % group == 0 && xb.rows() >= o.rows(), "rmsNorm shapes: row " + xb.cols() + ", gamma " + group);
        norm(1, xb, g.vector(), unused(), false, group, eps, o);
    }

    @Override
    public void l2Normalize(Activations x, Activations out) {
        DeviceActivations xb = buf(x, F32, "x"), o = buf(out, F32, "out");
        check(o.cols() == xb.cols() && xb.rows() >= o.rows(), "l2Normalize shapes");
        norm(2, xb, unused(), unused(), false, xb.cols(), 0f, o);
    }

    private static int vectorLength(VulkanWeights w) {
        return Math.toIntExact((long) w.rows() * w.cols());
    }

    private void norm(int mode, DeviceActivations x, Binding gamma, Binding beta, boolean hasBeta, int group, float eps, DeviceActivations o) {
        int rows = o.rows(), cols = o.cols();
        dispatch(Kernels.NORM, (long) rows * (cols / group), new int[] {rows, cols, group, mode, hasBeta ? 1 : 0, f(eps)},
                x.read(), gamma, beta, o.write());
    }

    @Override
    public void rope(Activations x, Activations positions, Rope rope) {
        DeviceActivations xb = buf(x, F32, "x"), p = buf(positions, I32, "positions");
        check(xb.cols() == rope.headCount() * rope.headDim() && p.rows() >= xb.rows(), "rope shapes: row " + xb.cols() + " for " + rope);
        int half = rope.rotaryDims() / 2;
        // Turns per position in 64-bit fixed point (see rope.comp): f / 2pi < 1/4, so f / 2pi * 2^64 fits a long.
        int[] turns = new int[2 * half];
        for (int i = 0; i < half; i++) {
            double f = Math.pow(rope.freqBase(), -2.0 * i / rope.rotaryDims());
            check(f <= 1.0, "rope frequency above 1 (base " + rope.freqBase() + ")");
            long fixed = (long) (f / (2 * Math.PI) * 0x1p64);
            turns[2 * i] = (int) (fixed >>> 32);
            turns[2 * i + 1] = (int) fixed;
        }
        long items = (long) xb.rows() * rope.headCount() * half;
        int[] push = {xb.rows(), rope.headCount(), rope.headDim(), half, rope.neox() ? 1 : 0, xb.cols(), p.cols()};
        dispatch(Kernels.ROPE, (items + 255) / 256, push, xb.write(), p.read(), table(turns));
    }

    @Override
    public void attention(Activations q, Activations k, Activations v, SequenceLayout layout, Attention shape, Activations out) {
        DeviceActivations qb = buf(q, F32, "q"), kb = buf(k, F32, "k"), vb = buf(v, F32, "v"), o = buf(out, F32, "out");
        int d = shape.headDim();
        check(qb.cols() == shape.headCount() * d && o.cols() == qb.cols() && kb.cols() == shape.kvHeadCount() * d && vb.cols() == kb.cols(), "attention shapes");
        check(!o.sameBuffer(qb) && !o.sameBuffer(kb) && !o.sameBuffer(vb), "attention output must be a separate buffer");
        for (int s = 0; s < layout.sequenceCount(); s++) {
            check(layout.queryStart(s) + layout.queryLength(s) <= o.rows() && layout.keyStart(s) + layout.keyLength(s) <= kb.rows(), "sequence " + s + " outside the buffers");
        }
        int dpt = 1;
        while (64 * dpt < d) dpt *= 2;
        check(dpt <= 8, "attention head dimension " + d + " above 512 is not supported on Vulkan");
        int rows = layout.queryRows();
        if (rows == 0) return;
        int[] items = new int[3 * rows];
        int n = 0;
        for (int s = 0; s < layout.sequenceCount(); s++) {
            int ql = layout.queryLength(s), kl = layout.keyLength(s);
            for (int i = 0; i < ql; i++) {
                items[3 * n] = layout.queryStart(s) + i;
                items[3 * n + 1] = layout.keyStart(s);
                items[3 * n + 2] = shape.causal() ? kl - ql + i + 1 : kl;
                n++;
            }
        }
        int[] push = {n, shape.headCount(), shape.headCount() / shape.kvHeadCount(), d, qb.cols(), kb.cols(), f(shape.scale())};
        dispatch(Kernels.attention(dpt), (long) n * shape.headCount(), push, qb.read(), kb.read(), vb.read(), o.write(), table(items));
    }

    @Override
    public void pool(Activations hidden, SequenceLayout layout, Pooling mode, Activations out) {
        DeviceActivations h = buf(hidden, F32, "hidden"), o = buf(out, F32, "out");
        int n = h.cols();
        check(o.cols() == n && o.rows() >= layout.sequenceCount(), "pool shapes");
        check(mode == Pooling.MEAN || mode == Pooling.CLS || mode == Pooling.LAST, "pooling " + mode + " is not a pooling op");
        int seqs = layout.sequenceCount();
        if (seqs == 0) return;
        int[] table = new int[2 * seqs];
        for (int s = 0; s < seqs; s++) {
            check(layout.queryStart(s) + layout.queryLength(s) <= h.capacity, "sequence " + s + " outside hidden");
            table[2 * s] = layout.queryStart(s);
            table[2 * s + 1] = layout.queryLength(s);
        }
        long items = (long) seqs * n;
        dispatch(Kernels.POOL, (items + 63) / 64, new int[] {seqs, n, mode.ggufId}, h.read(), o.write(), table(table));
    }

    @Override
    public void copyRows(Activations src, Activations dst, int dstRow) {
        DeviceActivations s = buf(src, null, "source"), d = buf(dst, null, "destination");
        check(s.type() == d.type() && s.cols() == d.cols() && dstRow >= 0 && dstRow + s.rows() <= d.capacity, "copyRows shapes");
        check(!s.sameBuffer(d), "copyRows within one buffer");
        long rowBytes = (long) s.cols() * s.type().bytes;
        copy(s.read(), 0, d.write(), dstRow * rowBytes, s.rows() * rowBytes);
    }

    @Override
    public void await() {
        if (!recording) return;
        try (MemoryStack stack = stackPush()) {
            // Every write of this submission: visible to the host (readbacks) and to commands of later submissions.
            VkMemoryBarrier.Buffer barrier = VkMemoryBarrier.calloc(1, stack).sType$Default().srcAccessMask(ALL_WRITES)
                    .dstAccessMask(ALL_ACCESS | VK_ACCESS_HOST_READ_BIT);
            vkCmdPipelineBarrier(commands, STAGES, STAGES | VK_PIPELINE_STAGE_HOST_BIT, 0, barrier, null, null);
            VulkanException.check(vkEndCommandBuffer(commands), "vkEndCommandBuffer");
            recording = false;
            device.submitAndWait(commands, resources.fence);
            for (PendingRead r : reads) MemorySegment.copy(r.slice.host(), ValueLayout.JAVA_FLOAT, 0, r.dst, 0, r.dst.length);
        } finally {
            recording = false;
            reads.clear();
            hazards.clear();
            resources.reset();
        }
    }

    @Override
    public void close() {
        if (closed) return;
        if (recording) {
            // Recorded but never submitted: drop it.
            vkEndCommandBuffer(commands);
            recording = false;
        }
        closed = true;
        reads.clear();
        resources.reset();
        backend.release(this, resources);
    }
}
