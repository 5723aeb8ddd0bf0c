// SPDX-License-Identifier: GPL-2.0-only
/* Socket tails of syscall records (TAIL_SOCK, TAIL_SOCKADDR) -> syscall_socks. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "import_int.h"

/* One side of a socket: NULL address where the port is 0 (none). */
struct isock_end {
	const char *addr;
	unsigned port;
	char buf[INET6_ADDRSTRLEN];
};

struct isock_row {
	struct isock_end local, remote;
	const char *path;
	size_t path_len;
	char path_buf[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
};

/* ADDR (network order) of an inet FAMILY and host-order PORT into END. */
static void inet_end(struct isock_end *end, unsigned family, const void *addr, unsigned port)
{
	end->addr = NULL;
	end->port = port;
	if (port && (family == AF_INET || family == AF_INET6))
		end->addr = inet_ntop(family, addr, end->buf, sizeof(end->buf));
}

/*
 * The address a failed call asked for, its struct sockaddr argument SA of
 * LEN bytes (as the recording host laid it out: the Linux ABI), into END,
 * or R's path for AF_UNIX. Too short, or of another family: none.
 */
static void asked_end(struct isock_row *r, struct isock_end *end, const uint8_t *sa, size_t len)
{
	uint16_t family = 0, port;

	end->addr = NULL;
	end->port = 0;
	r->path = NULL;
	if (len >= sizeof(family))
		memcpy(&family, sa, sizeof(family));
	if (family == AF_UNIX && len > offsetof(struct sockaddr_un, sun_path)) {
		const char *p = (const char *)sa + offsetof(struct sockaddr_un, sun_path);
		size_t n = len - offsetof(struct sockaddr_un, sun_path);

		if (n >= sizeof(r->path_buf))
			n = sizeof(r->path_buf) - 1;
		/* abstract: "@name", as the probes and /proc/net/unix show it */
		memcpy(r->path_buf, p, n);
		r->path_buf[0] = p[0] ? p[0] : '@';
		r->path = r->path_buf;
		r->path_len = strnlen(r->path_buf, n);
		return;
	}
	if ((family == AF_INET && len >= sizeof(struct sockaddr_in)) ||
	    (family == AF_INET6 && len >= sizeof(struct sockaddr_in6))) {
		const struct sockaddr_in *in = (const void *)sa;
		const struct sockaddr_in6 *in6 = (const void *)sa;

		/* sin_port and sin6_port share their offset */
		memcpy(&port, sa + offsetof(struct sockaddr_in, sin_port), sizeof(port));
		inet_end(end, family, family == AF_INET ? (const void *)&in->sin_addr :
							  (const void *)&in6->sin6_addr,
			 ntohs(port));
	}
}

static void bind_end(sqlite3_stmt *s, int col, const struct isock_end *end)
{
	ib_text(s, col, end->addr);
	if (end->addr)
		ib_int(s, col + 1, end->port);
	else
		sqlite3_bind_null(s, col + 1);
}

int isock_put(struct importer *im, int64_t id, const struct ev_syscall *ev,
	      const struct sysc_info *info)
{
	const struct ev_sock *k = (const void *)tr_syscall_tail(ev);
	const char *more = (const char *)(k + 1); /* unix path or address argument */
	size_t more_len = ev->tail_len - sizeof(*k);
	sqlite3_stmt *s = im->st[IST_SYSCALL_SOCK];
	struct isock_row r;

	inet_end(&r.local, k->family, k->laddr, k->lport);
	inet_end(&r.remote, k->family, k->raddr, k->rport);
	r.path = NULL;
	if (ev->tail_kind == TAIL_SOCK && k->family == AF_UNIX && more_len) {
		r.path = more; /* NUL-terminated: checked by the reader */
		r.path_len = strlen(more);
	} else if (ev->tail_kind == TAIL_SOCKADDR) {
		/* the side the call named; a call bpfrec knows no side of has none */
		uint8_t side = info ? info->sockaddr : SC_SA_NONE;

		if (side != SC_SA_NONE)
			asked_end(&r, side == SC_SA_LOCAL ? &r.local : &r.remote,
				  (const uint8_t *)more, more_len);
	}
	ib_int(s, 1, id);
	ib_int(s, 2, k->family);
	ib_int(s, 3, k->type);
	ib_int(s, 4, k->protocol);
	bind_end(s, 5, &r.local);
	bind_end(s, 7, &r.remote);
	if (r.path)
		ib_text_n(s, 9, r.path, r.path_len);
	else
		sqlite3_bind_null(s, 9);
	ib_int(s, 10, (int64_t)k->ino);
	return ist_step(im, IST_SYSCALL_SOCK);
}
