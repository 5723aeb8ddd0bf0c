/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * How bpfrec names a socket, the one place: the analyzer names the sockets
 * the probes saw (TAIL_SOCK), the recorder those of its /proc snapshot, so
 * both meet in fds.path. Like lsof and sysdig:
 *   tcp 127.0.0.1:40000->127.0.0.1:5555   connected (udp likewise; IPv6 [::1]:N)
 *   tcp 127.0.0.1:5555                    bound or listening
 *   tcp:[12345]                           neither: the inode, as /proc names it
 *   unix /run/x.sock, unix @abstract      bound (own path, else the peer's)
 *   unix:[12345]                          unnamed
 *   socket:[12345]                        another family
 */
#ifndef BPFREC_SOCK_NAME_H
#define BPFREC_SOCK_NAME_H

#include <stddef.h>

#include "bpfrec.h"

/* Write the name of K (with UNIX_PATH, "" if none) to BUF. */
void sock_name(char *buf, size_t len, const struct ev_sock *k, const char *unix_path);

/*
 * The ev_sock of the socket with inode INO from the lines of a
 * /proc/net/{tcp,tcp6,udp,udp6} table (FAMILY, TYPE given) or, with
 * FAMILY AF_UNIX, /proc/net/unix, whose path goes to UNIX_PATH.
 * Returns 1 when found.
 */
int sock_from_proc_line(const char *line, unsigned family, unsigned type, unsigned long ino,
			struct ev_sock *k, char *unix_path, size_t path_len);

#endif /* BPFREC_SOCK_NAME_H */
