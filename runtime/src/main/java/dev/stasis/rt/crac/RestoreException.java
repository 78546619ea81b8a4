package dev.stasis.rt.crac;

/** Resources that failed in {@code afterRestore}; the causes are suppressed exceptions, as in {@code jdk.crac}. */
public class RestoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public RestoreException(String message) {
        super(message);
    }
}
