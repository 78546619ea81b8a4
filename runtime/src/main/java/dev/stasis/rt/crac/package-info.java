/**
 * The package {@code org.crac} (the {@code org.crac:crac} API jar) delegates to when the agent sets the
 * system property {@code org.crac.Core.Compat} to this package's name: on a stock JDK {@code org.crac}
 * finds no implementation and would do nothing. Injected into the bootstrap loader with the rest of
 * {@code dev.stasis.rt}, so the application's loader finds it; JDK types only. The names
 * {@code Resource}, {@code Context}, {@code Core}, {@code CheckpointException} and
 * {@code RestoreException}, and the methods {@code org.crac} looks up, are fixed by {@code org.crac}.
 */
package dev.stasis.rt.crac;
