package dev.stasis.runtime.internal.snapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the checkpointed run saw of its surroundings, for a resume to compare with its own: the
 * system properties that locate the program (working directory, class path, JDK), and the
 * environment variables by name with a salted SHA-256 digest of each value, never the value, so
 * a snapshot does not spread the secrets commonly passed in the environment. (A digest still lets
 * someone with the snapshot test guesses of a value; a value short enough to guess is not hidden.)
 *
 * @param properties  name to value of the {@link #PROPERTIES} the run had (absent ones left out)
 * @param salt        hex, random per run: equal values in two snapshots do not show as equal digests
 * @param environment variable name to hex SHA-256 of the salt and the value's UTF-8 bytes
 */
public record RunEnvironment(Map<String, String> properties, String salt, Map<String, String> environment) {
    /** The system properties recorded; the first two are the ones whose change a resume reports. */
    public static final List<String> PROPERTIES = List.of("user.dir", "java.class.path", "java.home", "java.vendor",
            "java.vm.version", "os.name", "os.arch", "user.name");
    /** A manifest that records nothing (tests, the warm-up). */
    public static final RunEnvironment NONE = new RunEnvironment(Map.of(), "", Map.of());
    private static final int SALT_BYTES = 16;

    public RunEnvironment {
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        environment = Collections.unmodifiableMap(new TreeMap<>(environment));
    }

    /** This JVM's properties and environment, with a new salt. */
    public static RunEnvironment ofThisJvm() {
        return of(System.getProperties(), System.getenv(), new SecureRandom());
    }

    static RunEnvironment of(java.util.Properties system, Map<String, String> env, SecureRandom random) {
        Map<String, String> properties = new TreeMap<>();
        for (String name : PROPERTIES) {
            String value = system.getProperty(name);
            if (value != null) {
                properties.put(name, value);
            }
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        String saltHex = HexFormat.of().formatHex(salt);
        Map<String, String> digests = new TreeMap<>();
        env.forEach((name, value) -> digests.put(name, digest(saltHex, value)));
        return new RunEnvironment(properties, saltHex, digests);
    }

    /** The digest this record's salt gives {@code value}: compare it with {@link #environment()}'s. */
    public String digestOf(String value) {
        return digest(salt, value);
    }

    private static String digest(String saltHex, String value) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(HexFormat.of().parseHex(saltHex));
            return HexFormat.of().formatHex(sha256.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
