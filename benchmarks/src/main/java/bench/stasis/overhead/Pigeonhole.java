package bench.stasis.overhead;

import org.sat4j.core.VecInt;
import org.sat4j.minisat.SolverFactory;
import org.sat4j.specs.ContradictionException;
import org.sat4j.specs.ISolver;
import org.sat4j.specs.TimeoutException;

/**
 * A real library under the agent: sat4j (all application classes, so all instrumented) proving
 * that {@code holes + 1} pigeons do not fit in {@code holes} holes, a classic hard case for
 * resolution.
 */
final class Pigeonhole {
    private Pigeonhole() {
    }

    /** @return true if the instance is satisfiable, which it never is */
    static boolean solve(int holes) {
        int pigeons = holes + 1;
        ISolver solver = SolverFactory.newDefault();
        // A conflict budget instead of a time budget: a time budget starts a timer thread.
        solver.setTimeoutOnConflicts(Integer.MAX_VALUE);
        solver.newVar(pigeons * holes);
        try {
            for (int pigeon = 0; pigeon < pigeons; pigeon++) {
                int[] somewhere = new int[holes];
                for (int hole = 0; hole < holes; hole++) {
                    somewhere[hole] = variable(pigeon, hole, holes);
                }
                solver.addClause(new VecInt(somewhere));
            }
            for (int hole = 0; hole < holes; hole++) {
                for (int first = 0; first < pigeons; first++) {
                    for (int second = first + 1; second < pigeons; second++) {
                        solver.addClause(new VecInt(new int[] {
                            -variable(first, hole, holes), -variable(second, hole, holes)}));
                    }
                }
            }
            return solver.isSatisfiable();
        } catch (ContradictionException trivial) {
            return false;
        } catch (TimeoutException impossible) {
            throw new IllegalStateException("sat4j timed out despite an unlimited conflict budget", impossible);
        }
    }

    private static int variable(int pigeon, int hole, int holes) {
        return pigeon * holes + hole + 1;
    }
}
