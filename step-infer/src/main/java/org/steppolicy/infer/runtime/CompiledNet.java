package org.steppolicy.infer.runtime;

import java.nio.FloatBuffer;

/** A network rendered for one runtime, fed through reusable per-batch-size input buffers. */
interface CompiledNet extends AutoCloseable {
    /** The shape of a named input or of the output, batch dimension first. */
    long[] shape(String name);

    /** Elements per batch item of a named input or of the output. */
    default int perItem(String name) {
        long n = 1;
        long[] s = shape(name);
        for (int i = 1; i < s.length; i++) n *= s[i];
        return Math.toIntExact(n);
    }

    /** The named input's buffer for this batch size, positioned at 0; write batch*perItem floats. */
    FloatBuffer input(String name, int batch);

    /** Runs the network and copies batch*perItem(output) floats into out. */
    void run(int batch, float[] out);

    @Override
    void close();
}
