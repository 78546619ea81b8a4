package dev.stasis.runtime;

/**
 * What a resume does when a file the program had open for reading only changed since the
 * checkpoint (its size, modification time or sampled content): agent option {@code changedInputs=}.
 */
public enum ChangedInputs {
    /** Stop the resume, naming the file and what changed. */
    REFUSE,
    /** Resume anyway, reading the file as it is now from the saved position; one line on stderr says so. */
    ACCEPT
}
