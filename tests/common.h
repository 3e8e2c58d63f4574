/* SPDX-License-Identifier: GPL-2.0 */
/* Shared fixtures for the cmocka suites. */
#ifndef TDXMM_TESTS_COMMON_H
#define TDXMM_TESTS_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "env.h"
#include "kvm.h"
#include "spte.h"
#include "spte_model.h"
#include "scenarios.h"
#include "stub_external.h"
#include "tdp_iter.h"
#include "tdp_mmu.h"

/* Lockdep failures and BUG()s are caught, not fatal, inside the suites. */
extern int lockdep_hits;
extern char lockdep_msg[256];
extern jmp_buf bug_jmp;
extern bool bug_armed;
void install_test_hooks(void);

#endif
