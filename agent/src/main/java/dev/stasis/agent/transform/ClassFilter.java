package dev.stasis.agent.transform;

import java.util.List;

/**
 * Which classes the transformer rewrites: those of application loaders (not bootstrap, not
 * platform), outside the JDK's and Stasis's own packages, that pass {@code include=} and
 * {@code exclude=}.
 *
 * <p>The JDK namespaces are the ones the instrumenter treats as never instrumented when it decides
 * whether a static call is a call point; a class there (a {@code jdk/proxy1/$Proxy3} in an
 * application loader, say) must not be instrumented either, or its caller would not notice it
 * unwinding. Stasis's own packages are listed one by one, not as {@code dev/stasis/}: the samples
 * ({@code dev/stasis/samples/}) are application code like any other. Kryo's ReflectASM defines
 * constructor accessors for JDK classes under {@code reflectasm/java/...} in an application loader
 * while a snapshot is read; they are Stasis's, not the program's, and a later snapshot that listed
 * them among the program's classes could not be resumed by a JVM that has not made them yet.
 * {@code org/crac/} (the CRaC API jar) delegates to Stasis: its static initialiser must run again in
 * a relaunched JVM to find Stasis, and its statics (reflective handles, proxies) must not be saved.
 */
public final class ClassFilter {
    private static final List<String> NEVER = List.of("dev/stasis/rt/", "dev/stasis/runtime/", "dev/stasis/agent/",
            "dev/stasis/shaded/", "reflectasm/", "java/", "javax/", "jdk/", "sun/", "com/sun/", "org/crac/");

    private final List<String> include;
    private final List<String> exclude;
    private final ClassLoader platform = ClassLoader.getPlatformClassLoader();

    /**
     * @param include internal-name prefixes ({@code com/acme}); empty means every class
     * @param exclude internal-name prefixes never instrumented; wins over include
     */
    public ClassFilter(List<String> include, List<String> exclude) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
    }

    /** @param className internal name; null (not known) is never rewritten */
    public boolean accepts(ClassLoader loader, String className) {
        if (loader == null || loader == platform || className == null) {
            return false;
        }
        for (String prefix : NEVER) {
            if (className.startsWith(prefix)) {
                return false;
            }
        }
        if (matchesAny(exclude, className)) {
            return false;
        }
        return include.isEmpty() || matchesAny(include, className);
    }

    /** A prefix names a package or a class: {@code com/acme} matches {@code com/acme/X} but not {@code com/acmex/X}. */
    private static boolean matchesAny(List<String> prefixes, String className) {
        for (String p : prefixes) {
            if (className.startsWith(p)
                    && (className.length() == p.length() || className.charAt(p.length()) == '/' || className.charAt(p.length()) == '$')) {
                return true;
            }
        }
        return false;
    }
}
