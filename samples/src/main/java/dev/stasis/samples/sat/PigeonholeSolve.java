package dev.stasis.samples.sat;

import java.util.Map;
import java.util.TreeMap;
import org.sat4j.core.VecInt;
import org.sat4j.minisat.SolverFactory;
import org.sat4j.specs.ContradictionException;
import org.sat4j.specs.ISolver;
import org.sat4j.specs.TimeoutException;

/**
 * Proves the pigeonhole principle PHP(n+1, n) unsatisfiable with sat4j: a third-party library
 * with a large, stateful search (learned clauses, heaps, restarts), run unmodified under the agent.
 * n = 9 takes about 8 s on a 2-core machine without the agent, n = 8 about 1.5 s, n = 10 two minutes.
 *
 * <p>Usage: {@code PigeonholeSolve [n]} (default {@value #DEFAULT_HOLES}). It prints
 * {@code solving PHP(...)} before the search, then {@code ANSWER UNSAT} (or {@code SAT}) and the
 * solver's statistics, counters only: no times, so two runs print identical lines.
 */
public final class PigeonholeSolve {

    static final int DEFAULT_HOLES = 9;

    private PigeonholeSolve() {
    }

    public static void main(String[] args) throws TimeoutException {
        int holes = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_HOLES;
        int pigeons = holes + 1;
        ISolver solver = SolverFactory.newDefault();
        // A time-based timeout would start a java.util.Timer thread; a conflict budget starts none.
        solver.setTimeoutOnConflicts(Integer.MAX_VALUE);
        solver.newVar(pigeons * holes);
        try {
            addPigeonholeClauses(solver, pigeons, holes);
        } catch (ContradictionException e) {
            System.out.println("ANSWER UNSAT (trivially, while adding clauses)");
            return;
        }
        System.out.println("solving PHP(" + pigeons + "," + holes + ") with " + solver.nConstraints() + " clauses");
        boolean satisfiable = solver.isSatisfiable();
        System.out.println("ANSWER " + (satisfiable ? "SAT" : "UNSAT"));
        for (Map.Entry<String, Number> stat : countersOf(solver).entrySet()) {
            System.out.println("STAT " + stat.getKey() + " " + stat.getValue());
        }
    }

    /** Variable p(i, j) = pigeon i sits in hole j. */
    private static int variable(int pigeon, int hole, int holes) {
        return pigeon * holes + hole + 1;
    }

    private static void addPigeonholeClauses(ISolver solver, int pigeons, int holes) throws ContradictionException {
        for (int pigeon = 0; pigeon < pigeons; pigeon++) {
            int[] someHole = new int[holes];
            for (int hole = 0; hole < holes; hole++) {
                someHole[hole] = variable(pigeon, hole, holes);
            }
            solver.addClause(new VecInt(someHole));
        }
        for (int hole = 0; hole < holes; hole++) {
            for (int first = 0; first < pigeons; first++) {
                for (int second = first + 1; second < pigeons; second++) {
                    solver.addClause(new VecInt(new int[] {-variable(first, hole, holes), -variable(second, hole, holes)}));
                }
            }
        }
    }

    /** The solver's statistics in name order, without anything measured in time. */
    private static Map<String, Number> countersOf(ISolver solver) {
        Map<String, Number> counters = new TreeMap<>();
        for (Map.Entry<String, Number> stat : solver.getStat().entrySet()) {
            if (!stat.getKey().toLowerCase().contains("time")) {
                counters.put(stat.getKey(), stat.getValue());
            }
        }
        return counters;
    }
}
