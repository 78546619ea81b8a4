package dev.stasis.agent.instrument.targets;

import java.util.Arrays;

/**
 * Named locals of every kind live across a call, a value below the call on the operand stack and a
 * local only known to be null: what a frame view must label correctly.
 */
public final class LayoutTarget {
    private LayoutTarget() {
    }

    public static String run() {
        int count = 7;
        long big = 1L << 40;
        String label = "seven";
        double ratio = 0.5;
        boolean flag = true;
        char letter = 'q';
        float scale = 2.5f;
        int[] numbers = {1, 2, 3};
        Object nothing = null;
        for (int round = 0; round < 2; round++) {
            count += step(label, round);
        }
        return count + " " + big + " " + label + " " + ratio + " " + flag + " " + letter + " " + scale + " "
                + Arrays.toString(numbers) + " " + nothing;
    }

    /** {@code text.length() + round}, through a loop and a call so that it has points of both kinds. */
    static int step(String text, int round) {
        int total = round;
        for (int i = 0; i < text.length(); i++) {
            total += unit(text, i);
        }
        return total;
    }

    /** 1, through a loop so that it polls and a capture can stop its caller at the call. */
    static int unit(String text, int at) {
        int ones = 0;
        for (int k = 0; k < 1; k++) {
            ones += text.charAt(at) > 0 ? 1 : 0;
        }
        return ones;
    }
}
