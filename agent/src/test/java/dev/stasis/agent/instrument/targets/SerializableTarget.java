package dev.stasis.agent.instrument.targets;

import java.io.Serializable;

/** Serializable without a declared serialVersionUID and without a static initialiser, with a subclass. */
public class SerializableTarget implements Serializable {
    protected int value;

    public int twice() {
        int s = 0;
        for (int i = 0; i < 2; i++) {
            s += value;
        }
        return s;
    }

    /** Serializable only through its super class. */
    public static final class Child extends SerializableTarget {
        private String name = "child";

        @Override
        public String toString() {
            return name + twice();
        }
    }
}
