/* SPDX-License-Identifier: GPL-2.0 */
/* Basic types for model/: kernel's own under Kbuild, freestanding C else.
 * model/ uses no libc, so the kernel backend links it unchanged. */
#ifndef TDXMM_MODEL_TYPES_H
#define TDXMM_MODEL_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint64_t u64;
#endif

#endif
