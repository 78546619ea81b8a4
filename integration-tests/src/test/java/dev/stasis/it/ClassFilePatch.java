package dev.stasis.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Makes "the same program with one class changed": rewrites a jar with one class file whose
 * string constant is replaced by another of the same length, which keeps the class valid.
 */
final class ClassFilePatch {

    private ClassFilePatch() {
    }

    /** Replaces {@code from} by {@code to} (same length, exactly one occurrence) in {@code entryName} of {@code jar}. */
    static void patchJar(Path jar, String entryName, String from, String to) throws IOException {
        Path patched = jar.resolveSibling(jar.getFileName() + ".patched");
        boolean found = false;
        try (ZipFile zip = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(patched);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (entry.getName().equals(entryName)) {
                    bytes = replaceOnce(bytes, from, to);
                    found = true;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        if (!found) {
            throw new IllegalStateException(jar + " has no entry " + entryName);
        }
        Files.move(patched, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    static byte[] replaceOnce(byte[] bytes, String from, String to) {
        byte[] needle = from.getBytes(StandardCharsets.UTF_8);
        byte[] replacement = to.getBytes(StandardCharsets.UTF_8);
        if (needle.length != replacement.length) {
            throw new IllegalArgumentException("'" + from + "' and '" + to + "' differ in length: the constant pool would break");
        }
        int at = indexOf(bytes, needle, 0);
        if (at < 0 || indexOf(bytes, needle, at + 1) >= 0) {
            throw new IllegalStateException("'" + from + "' must occur exactly once in the class file");
        }
        byte[] copy = bytes.clone();
        System.arraycopy(replacement, 0, copy, at, replacement.length);
        return copy;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
