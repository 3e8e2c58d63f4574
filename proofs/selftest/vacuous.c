// SPDX-License-Identifier: GPL-2.0
/* Planted defect: a contract whose preconditions contradict each other
 * proves anything.  make proofs expects WP's smoke tests to flag it. */
#include "env.h"

/*@ requires x > 0 && x < 0;
    assigns \nothing;
    ensures \result == 42; */
int vacuous(int x)
{
	return x;
}
