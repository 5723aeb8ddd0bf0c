// SPDX-License-Identifier: GPL-2.0-only
#include "errno_names.h"

#define ERRNO(num_, name_) { .num = num_, .name = name_ },

const struct errno_name errno_names[] = {
/* the generic ABI, from the build host's linux-libc-dev (gen_errno.py) */
#include "errno_generic.h"
	/*
	 * Kernel-internal codes, which a syscall may still return when a
	 * signal interrupts it (pselect6 = -514 ERESTARTNOHAND under strace)
	 * or a driver leaks one. They are defined only in the kernel's
	 * include/linux/errno.h (Linux 6.18), which linux-libc-dev does not
	 * ship: this is their one table.
	 */
	ERRNO(512, "ERESTARTSYS")
	ERRNO(513, "ERESTARTNOINTR")
	ERRNO(514, "ERESTARTNOHAND")
	ERRNO(515, "ENOIOCTLCMD")
	ERRNO(516, "ERESTART_RESTARTBLOCK")
	ERRNO(517, "EPROBE_DEFER")
	ERRNO(518, "EOPENSTALE")
	ERRNO(519, "ENOPARAM")
	ERRNO(521, "EBADHANDLE")
	ERRNO(522, "ENOTSYNC")
	ERRNO(523, "EBADCOOKIE")
	ERRNO(524, "ENOTSUPP")
	ERRNO(525, "ETOOSMALL")
	ERRNO(526, "ESERVERFAULT")
	ERRNO(527, "EBADTYPE")
	ERRNO(528, "EJUKEBOX")
	ERRNO(529, "EIOCBQUEUED")
	ERRNO(530, "ERECALLCONFLICT")
	ERRNO(531, "ENOGRACE")
};

const unsigned int errno_names_count = sizeof(errno_names) / sizeof(errno_names[0]);
