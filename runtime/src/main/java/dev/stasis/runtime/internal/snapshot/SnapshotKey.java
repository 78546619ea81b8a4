package dev.stasis.runtime.internal.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that signs snapshots with HMAC-SHA256 ({@code key=PATH}): the whole content of a
 * file that only its owner, the user running the JVM, may read. A snapshot holds everything the
 * program held, so a key anyone else can read would let them forge one the program then resumes.
 */
public final class SnapshotKey {
    static final String ALGORITHM = "HmacSHA256";
    /** 128 bits: below that a key is guessable, whatever HMAC does with it. */
    static final int MIN_BYTES = 16;
    /** A key is a few dozen bytes; a large file is a wrong path, not a key. */
    static final int MAX_BYTES = 64 << 10;
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final SecretKeySpec secret;
    private final String source;

    private SnapshotKey(byte[] bytes, String source) {
        this.secret = new SecretKeySpec(bytes, ALGORITHM);
        this.source = source;
    }

    /**
     * Reads and checks the key file: a regular file owned by the user running this JVM, with no
     * permission for group or others, holding {@value #MIN_BYTES} to {@value #MAX_BYTES} bytes.
     *
     * @throws SnapshotKeyException naming the file, what is wrong and the command that fixes it
     */
    public static SnapshotKey load(Path file) throws SnapshotKeyException {
        Path path = file.toAbsolutePath().normalize();
        PosixFileAttributes attributes = attributes(path);
        if (!attributes.isRegularFile()) {
            throw new SnapshotKeyException("key file " + path + " is not a regular file: give key=PATH the file that holds"
                    + " the key, e.g. one made with " + makeOne(path));
        }
        String user = System.getProperty("user.name");
        String owner = attributes.owner().getName();
        if (!owner.equals(user)) {
            throw new SnapshotKeyException("key file " + path + " is owned by " + owner + ", not by " + user
                    + " who runs this JVM: a key must belong to the user it protects; run chown " + user + " " + path);
        }
        Set<PosixFilePermission> mode = attributes.permissions();
        if (mode.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new SnapshotKeyException("key file " + path + " has mode " + PosixFilePermissions.toString(mode) + " ("
                    + octal(mode) + "): group or others may use it, and a key anyone else can read lets them forge"
                    + " snapshots; run chmod 600 " + path);
        }
        byte[] bytes = read(path, attributes.size());
        if (bytes.length == 0) {
            throw new SnapshotKeyException("key file " + path + " is empty: put at least " + MIN_BYTES
                    + " random bytes in it, e.g. " + makeOne(path));
        }
        if (bytes.length < MIN_BYTES) {
            throw new SnapshotKeyException("key file " + path + " holds only " + bytes.length + " bytes, a key needs at least "
                    + MIN_BYTES + ": make a new one, e.g. " + makeOne(path));
        }
        return new SnapshotKey(bytes, path.toString());
    }

    /** A key given directly (tests, tools); {@code source} names it in messages. */
    public static SnapshotKey of(byte[] bytes, String source) {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("a key needs at least " + MIN_BYTES + " bytes, " + source + " has " + bytes.length);
        }
        return new SnapshotKey(bytes.clone(), source);
    }

    /** Where the key came from (its file), for messages; never the key itself. */
    public String source() {
        return source;
    }

    /** A fresh HMAC-SHA256 keyed with this key. */
    Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + ", which every Java SE runtime must have", e);
        }
    }

    @Override
    public String toString() {
        return "SnapshotKey[" + source + "]";
    }

    private static PosixFileAttributes attributes(Path path) throws SnapshotKeyException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new SnapshotKeyException("key file " + path + " does not exist: create it with " + makeOne(path)
                    + ", or leave out key= to write unsigned snapshots");
        } catch (UnsupportedOperationException e) {
            throw new SnapshotKeyException("key file " + path + " is on a file system without POSIX permissions, so"
                    + " Stasis cannot check that only you can read it: keep the key on a local Linux or macOS file system", e);
        } catch (IOException e) {
            throw new SnapshotKeyException("key file " + path + " cannot be read: " + e, e);
        }
    }

    private static byte[] read(Path path, long size) throws SnapshotKeyException {
        if (size > MAX_BYTES) {
            throw new SnapshotKeyException("key file " + path + " is " + size + " bytes long; a key is a few dozen bytes:"
                    + " check key=PATH, or make a key with " + makeOne(path));
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new SnapshotKeyException("key file " + path + " grew past " + MAX_BYTES + " bytes while it was read");
            }
            return bytes;
        } catch (IOException e) {
            throw new SnapshotKeyException("key file " + path + " cannot be read: " + e, e);
        }
    }

    private static String makeOne(Path path) {
        return "'(umask 077 && head -c 32 /dev/urandom > " + path + ")'";
    }

    private static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", bits);
    }
}
