package io.masqharness.conformance;

import io.masqharness.oracle.Expectation;

/** A probed cell: what the oracle expected, what was observed, the verdict. */
public record CellResult(Cell cell, Expectation expected, Observation observed, Verdict verdict) {
}
