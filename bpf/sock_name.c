// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Socket names: see sock_name.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sock_name.h"

static void inet_addr_str(char *buf, size_t len, unsigned family, const __u8 *addr,
			  unsigned port)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	inet_ntop(family == AF_INET ? AF_INET : AF_INET6, addr, ip, sizeof(ip));
	snprintf(buf, len, family == AF_INET ? "%s:%u" : "[%s]:%u", ip, port);
}

void sock_name(char *buf, size_t len, const struct ev_sock *k, const char *unix_path)
{
	const char *proto = k->type == SOCK_STREAM ? "tcp" : k->type == SOCK_DGRAM ? "udp" : "ip";
	char l[INET6_ADDRSTRLEN + 16], r[INET6_ADDRSTRLEN + 16];

	switch (k->family) {
	case AF_INET:
	case AF_INET6:
		if (!k->lport && !k->rport) {
			snprintf(buf, len, "%s:[%llu]", proto, (unsigned long long)k->ino);
			return;
		}
		inet_addr_str(l, sizeof(l), k->family, k->laddr, k->lport);
		if (!k->rport) {
			snprintf(buf, len, "%s %s", proto, l);
			return;
		}
		inet_addr_str(r, sizeof(r), k->family, k->raddr, k->rport);
		snprintf(buf, len, "%s %s->%s", proto, l, r);
		return;
	case AF_UNIX:
		if (unix_path && *unix_path)
			snprintf(buf, len, "unix %s", unix_path);
		else
			snprintf(buf, len, "unix:[%llu]", (unsigned long long)k->ino);
		return;
	}
	snprintf(buf, len, "socket:[%llu]", (unsigned long long)k->ino);
}

/* "0100007F:1F90" (IPv4) or 32 hex digits (IPv6), in /proc/net's word order */
static int parse_inet(const char *s, unsigned family, __u8 *addr, __u16 *port)
{
	unsigned w[4], p, i, n = family == AF_INET ? 1 : 4;
	int ok;

	ok = family == AF_INET ? sscanf(s, "%8x:%x", &w[0], &p) == 2 :
				 sscanf(s, "%8x%8x%8x%8x:%x", &w[0], &w[1], &w[2], &w[3], &p) == 5;
	if (!ok)
		return 0;
	/* each 32-bit word is printed as a host-order integer of network bytes */
	for (i = 0; i < n; i++)
		memcpy(addr + 4 * i, &w[i], 4);
	*port = (__u16)p;
	return 1;
}

int sock_from_proc_line(const char *line, unsigned family, unsigned type, unsigned long ino,
			struct ev_sock *k, char *unix_path, size_t path_len)
{
	char la[64], ra[64], path[256] = "";
	unsigned long i;
	unsigned t;

	memset(k, 0, sizeof(*k));
	k->family = family;
	k->ino = ino;
	if (family == AF_UNIX) {
		/* Num RefCount Protocol Flags Type St Inode [Path] */
		if (sscanf(line, "%*s %*x %*x %*x %x %*x %lu %255s", &t, &i, path) < 2 || i != ino)
			return 0;
		k->type = t;
		snprintf(unix_path, path_len, "%s", path);
		return 1;
	}
	/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
	if (sscanf(line, "%*s %63s %63s %*x %*s %*s %*s %*u %*u %lu", la, ra, &i) != 3 ||
	    i != ino)
		return 0;
	k->type = type;
	if (!parse_inet(la, family, k->laddr, &k->lport) ||
	    !parse_inet(ra, family, k->raddr, &k->rport))
		return 0;
	return 1;
}
