package dev.stasis.runtime.internal.snapshot;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 block compression through lz4-java's pure-Java safe instance: no JNI library to load from a
 * shaded jar, no {@code sun.misc.Unsafe} (a warning on JDK 24+), and a decompressor that never
 * writes past the buffer it is given. Its output is the same on every JVM, which the golden
 * snapshot files rely on.
 */
final class Lz4Blocks {
    private static final LZ4Factory FACTORY = LZ4Factory.safeInstance();

    private Lz4Blocks() {
    }

    static LZ4Compressor compressor() {
        return FACTORY.fastCompressor();
    }

    static LZ4SafeDecompressor decompressor() {
        return FACTORY.safeDecompressor();
    }
}
