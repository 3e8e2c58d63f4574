// SPDX-License-Identifier: GPL-2.0
/* The trace events' definitions (tdxmm_trace.h), once. */
#define CREATE_TRACE_POINTS
#include "env.h"
