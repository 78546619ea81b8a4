package dev.stasis.runtime;

/** How the data blocks of a snapshot are stored (agent option {@code compress=}). */
public enum Compression {
    /** Blocks hold the serialized bytes as they are. */
    NONE,
    /** Each block is LZ4-compressed when that makes it smaller; readers accept both kinds in any file. */
    LZ4
}
