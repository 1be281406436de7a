/**
 * The error a solver raises when it fails for a reason the user did not cause (an iteration limit, a singular
 * factorisation, an unexpected status, a solution that violates its constraints): a defect to report, not an input
 * to change.
 */

import { PfoptError } from '../../core/errors.js';

/** A numerical solver failed; the message says which step and why (exit code 1). */
export class SolverError extends PfoptError {}
