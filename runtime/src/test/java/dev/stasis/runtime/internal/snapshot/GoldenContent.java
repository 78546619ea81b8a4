package dev.stasis.runtime.internal.snapshot;

import dev.stasis.rt.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of the golden snapshot files: a little of everything a snapshot holds (statics,
 * frames with every slot kind, an application object graph with a cycle and a shared string,
 * records, an enum, JDK collections, text that compresses, an org.crac resource), all of it the same in every run.
 * The names of these classes are in the files: renaming them means regenerating the files.
 */
final class GoldenContent {
    enum Kind { CHECKING, SAVINGS }

    record Transfer(String from, String to, long cents) {
    }

    static final class Account {
        String owner;
        long cents;
        int[] history;
        Kind kind;
        Account partner;
        List<Transfer> transfers = new ArrayList<>();
        transient String cachedLabel;
    }

    static final String LEDGER = "dev.stasis.runtime.internal.snapshot.GoldenContent$Ledger";

    private GoldenContent() {
    }

    static Manifest manifest() {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        fingerprints.put("golden/Job", "f00d");
        fingerprints.put("golden/Ledger", "beef");
        return new Manifest(Manifest.FORMAT_VERSION, "000042", "golden-run", 1_767_225_600_000L, "0.1.0", "17.0.15",
                "golden.Job", List.of("--steps", "3"), fingerprints, List.of("golden/Ledger", "golden/Job"),
                List.of("main:2"), environment(), 123_456_789_012L);
    }

    private static RunEnvironment environment() {
        String salt = "00112233445566778899aabbccddeeff";
        RunEnvironment salted = new RunEnvironment(Map.of(), salt, Map.of());
        return new RunEnvironment(Map.of("user.dir", "/srv/golden", "java.class.path", "golden.jar"), salt,
                Map.of("HOME", salted.digestOf("/home/golden"), "LANG", salted.digestOf("C.UTF-8")));
    }

    static SnapshotContent content() {
        Account alice = new Account();
        alice.owner = "alice";
        alice.cents = 12_345L;
        alice.history = new int[] {100, -20, 7};
        alice.kind = Kind.CHECKING;
        alice.cachedLabel = "alice (checking)";
        Account bob = new Account();
        bob.owner = "bob";
        bob.cents = -5L;
        bob.history = new int[0];
        bob.kind = Kind.SAVINGS;
        alice.partner = bob;
        bob.partner = alice;
        Transfer rent = new Transfer("alice", "bob", 80_000L);
        alice.transfers.add(rent);
        bob.transfers.add(rent);

        Map<String, Long> limits = new HashMap<>();
        limits.put("alice", 1_000L);
        limits.put("bob", 250L);
        StringBuilder journal = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            journal.append("day ").append(i % 7).append(": nothing to report\n");
        }
        String text = journal.toString();

        Frame main = new Frame("golden/Job.main([Ljava/lang/String;)V", 1, 1, 0, 0, 0, 1);
        main.ints[0] = 3;
        main.refs[0] = new String[] {"--steps", "3"};
        Frame run = new Frame("golden/Job.run()V", 4, 2, 1, 1, 1, 4);
        run.ints[0] = 2;
        run.ints[1] = -1;
        run.longs[0] = Long.MIN_VALUE;
        run.floats[0] = 1.5f;
        run.doubles[0] = Math.PI;
        run.refs[0] = alice;
        run.refs[1] = limits;
        run.refs[2] = text;
        run.refs[3] = text;
        ClassStatics ledger = new ClassStatics(LEDGER, List.of("accounts", "opened", "journal"),
                List.of(List.of(alice, bob), 2, text));
        // An org.crac resource root that shares an object with the statics and the frames (format 3).
        return new SnapshotContent(List.of(ledger), List.of(CapturedThreads.main(List.of(main, run))),
                List.of(bob));
    }
}
