package dev.stasis.rt.crac;

/**
 * What {@code org.crac} registers: a proxy around the application's {@code org.crac.Resource}, whose
 * handler forwards these two calls to it (it ignores the argument and passes its own context).
 */
public interface Resource {
    void beforeCheckpoint(Context context) throws Exception;

    void afterRestore(Context context) throws Exception;
}
