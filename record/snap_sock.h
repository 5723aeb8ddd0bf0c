/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Names of the sockets of the /proc snapshot, as the analyzer names those
 * the probes see (bpf/sock_name.h): /proc/PID/fd only says socket:[ino],
 * the family and addresses come from /proc/PID/net/{tcp,tcp6,udp,udp6,unix}.
 */
#ifndef BPFREC_SNAP_SOCK_H
#define BPFREC_SNAP_SOCK_H

#include <stddef.h>

/*
 * LINK, the readlink of PID's fd, or the socket's name in BUF when LINK is
 * socket:[ino] and the tables of PID's network namespace list it.
 */
const char *snap_sock_name(int pid, const char *link, char *buf, size_t len);

/* Drop the cached tables (at the end of the snapshot). */
void snap_sock_reset(void);

#endif /* BPFREC_SNAP_SOCK_H */
