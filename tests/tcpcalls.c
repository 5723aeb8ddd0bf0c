// SPDX-License-Identifier: GPL-2.0-only
/*
 * Known quantities for the tcpconnect and tcpaccept reports
 * (tests/e2e_tcp.sh), over loopback:
 *
 *   tcpcalls OUT
 *
 * - listens on 127.0.0.1:P and [::1]:P6 (ports the kernel picks);
 * - makes N = 3 TCP connects to 127.0.0.1:P and 1 to [::1]:P6, each
 *   accepted (two by accept without an address, two by accept4 with one);
 * - makes M = 2 connects to 127.0.0.1:Q, a port bound but not listening
 *   (held, so no one else takes it): refused, ECONNREFUSED.
 *
 * OUT gets one line per call, in call order, as the reports' CSV rows
 * from the ip column on, from the sockets' own getsockname/getpeername:
 *   connect IP,SADDR,SPORT,DADDR,DPORT,ERR   (SADDR, SPORT empty when failed)
 *   accept IP,LADDR,LPORT,RADDR,RPORT
 * and "refused-port Q". Exits non-zero, saying which, when a call does
 * not do what it should.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define N_CONNECTS4 3
#define M_REFUSED 2

static FILE *out;

static void die(const char *what)
{
	fprintf(stderr, "tcpcalls: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* "127.0.0.1,40000" or "::1,40000" of A */
static void addr_str(char *buf, size_t len, const struct sockaddr_storage *a)
{
	char ip[INET6_ADDRSTRLEN];
	const struct sockaddr_in *in = (const void *)a;
	const struct sockaddr_in6 *in6 = (const void *)a;

	if (a->ss_family == AF_INET)
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
	else
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s,%u", ip,
		 ntohs(a->ss_family == AF_INET ? in->sin_port : in6->sin6_port));
}

/* WHAT IP,LOCAL,REMOTE of connected socket FD, its own view */
static void print_sock(const char *what, int fd, const char *suffix)
{
	struct sockaddr_storage a;
	socklen_t alen = sizeof(a);
	char l[64], r[64];

	if (getsockname(fd, (struct sockaddr *)&a, &alen))
		die("getsockname");
	addr_str(l, sizeof(l), &a);
	alen = sizeof(a);
	if (getpeername(fd, (struct sockaddr *)&a, &alen))
		die("getpeername");
	addr_str(r, sizeof(r), &a);
	fprintf(out, "%s %d,%s,%s%s\n", what, a.ss_family == AF_INET ? 4 : 6, l, r, suffix);
}

/* A TCP socket of FAMILY bound to its loopback address, port picked; *A: where */
static int bound(int family, struct sockaddr_storage *a, socklen_t *alen)
{
	struct sockaddr_in *in = (void *)a;
	struct sockaddr_in6 *in6 = (void *)a;
	int one = 1, fd = socket(family, SOCK_STREAM, 0);

	memset(a, 0, sizeof(*a));
	a->ss_family = family;
	if (family == AF_INET) {
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*alen = sizeof(*in);
	} else {
		in6->sin6_addr = in6addr_loopback;
		*alen = sizeof(*in6);
	}
	if (fd < 0 || (family == AF_INET6 &&
		       setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, (struct sockaddr *)a, *alen) || getsockname(fd, (struct sockaddr *)a, alen))
		die("bind");
	return fd;
}

/* One connect to A that works, and its accept on listener L (WITH_ADDR: accept4). */
static void connect_accept(int l, const struct sockaddr_storage *a, socklen_t alen,
			   int with_addr)
{
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	int c = socket(a->ss_family, SOCK_STREAM, 0), s;

	if (c < 0 || connect(c, (const struct sockaddr *)a, alen))
		die("connect");
	print_sock("connect", c, ",");
	s = with_addr ? accept4(l, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC) :
			accept(l, NULL, NULL);
	if (s < 0)
		die("accept");
	print_sock("accept", s, "");
	close(s);
	close(c);
}

/* A connect to A, bound but not listening: refused. */
static void refused(const struct sockaddr_storage *a, socklen_t alen)
{
	char d[64];
	int c = socket(AF_INET, SOCK_STREAM, 0);

	if (c < 0)
		die("socket");
	if (connect(c, (const struct sockaddr *)a, alen) == 0 || errno != ECONNREFUSED)
		die("connect to a closed port was not refused");
	addr_str(d, sizeof(d), a);
	fprintf(out, "connect 4,,,%s,ECONNREFUSED\n", d);
	close(c);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage a4, a6, closed;
	socklen_t len4, len6, closed_len;
	int l4, l6, hold, i;

	if (argc != 2)
		return 2;
	out = fopen(argv[1], "w");
	if (!out)
		die(argv[1]);
	l4 = bound(AF_INET, &a4, &len4);
	l6 = bound(AF_INET6, &a6, &len6);
	hold = bound(AF_INET, &closed, &closed_len);
	if (listen(l4, 8) || listen(l6, 8))
		die("listen");
	for (i = 0; i < N_CONNECTS4; i++)
		connect_accept(l4, &a4, len4, i == N_CONNECTS4 - 1);
	connect_accept(l6, &a6, len6, 1);
	for (i = 0; i < M_REFUSED; i++)
		refused(&closed, closed_len);
	fprintf(out, "refused-port %u\n", ntohs(((struct sockaddr_in *)&closed)->sin_port));
	close(hold);
	close(l6);
	close(l4);
	return fclose(out) ? 1 : 0;
}
