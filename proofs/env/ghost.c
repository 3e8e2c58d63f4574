// SPDX-License-Identifier: GPL-2.0
/* The one definition of the ghost S-EPT state (model/acsl/external.h). */
#include "env.h"

/*@ ghost u64 tdxmm_sept; */
