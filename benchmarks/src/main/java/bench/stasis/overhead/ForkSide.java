package bench.stasis.overhead;

/** The two kinds of fork compared: the same benchmark code, with and without the agent. */
enum ForkSide {
    PLAIN("plain", "without agent"),
    AGENT("agent", "with agent");

    /** Tells a fork which side it is, so it can check that it really is. */
    static final String PROPERTY = "stasis.bench.side";

    final String id;
    final String label;

    ForkSide(String id, String label) {
        this.id = id;
        this.label = label;
    }

    static ForkSide ofFork() {
        String id = System.getProperty(PROPERTY);
        for (ForkSide side : values()) {
            if (side.id.equals(id)) {
                return side;
            }
        }
        return null;
    }
}
