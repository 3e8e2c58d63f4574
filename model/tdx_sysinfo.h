/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel learns from the TDX module at boot (upstream
 * tdx_global_keyid, tdx_guest_keyid_start, tdx_nr_guest_keyids): the
 * module's global KeyID, which the TDR's cache lines carry, and the range
 * TD HKIDs come from.  One place for the simulator and WP's seam alike.
 */
#ifndef TDXMM_MODEL_TDX_SYSINFO_H
#define TDXMM_MODEL_TDX_SYSINFO_H

#define TDX_GLOBAL_KEYID	0x20
#define TDX_GUEST_KEYID_START	0x21
#define TDX_NR_GUEST_KEYIDS	4

/* arch/x86/include/asm/tdx.h: tries of a resumable SEAMCALL. */
#define TDX_SEAMCALL_RETRIES	10000

#endif
