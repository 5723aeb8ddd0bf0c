// SPDX-License-Identifier: GPL-2.0-only
/*
 * Socket tails into syscall_socks, tcpconnect and tcpaccept, checked by
 * whole outputs against golden files (golden/socks-*.txt): calls that
 * worked (TAIL_SOCK: IPv4, IPv6, unix) and failed ones (TAIL_SOCKADDR)
 * whose address argument is IPv4, IPv6, a unix path, an abstract name,
 * AF_UNSPEC, cut short, unread, or on an fd that is no socket; a failed
 * bind (its argument is the local end); EINPROGRESS; a UDP connect and a
 * unix accept, which the TCP reports leave out.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "tracegen.h"

/* x86_64 numbers, but all the analyzer sees is this trace's table */
enum { NR_SOCKET = 41, NR_CONNECT = 42, NR_ACCEPT = 43, NR_BIND = 49, NR_ACCEPT4 = 288 };

#define START 1000000000ull
#define MS(n) (START + (uint64_t)(n)*1000000)
#define US 1000

static const struct tg_name names[] = {
	{ NR_SOCKET, "socket" }, { NR_CONNECT, "connect" }, { NR_ACCEPT, "accept" },
	{ NR_BIND, "bind" },	 { NR_ACCEPT4, "accept4" },
};

/* A socket tail: the ev_sock, then a unix path or an address argument */
struct tail {
	struct ev_sock k;
	unsigned char more[BPFREC_SOCKADDR_MAX];
};

static struct ev_sock sock(unsigned family, unsigned type, unsigned protocol, uint64_t ino)
{
	struct ev_sock k = { .ino = ino, .family = family, .type = type, .protocol = protocol };

	return k;
}

/* K with its local and remote ends (LADDR, RADDR as text; NULL: none) */
static struct ev_sock ends(struct ev_sock k, const char *laddr, unsigned lport,
			   const char *raddr, unsigned rport)
{
	if (laddr)
		CHECK(inet_pton(k.family, laddr, k.laddr) == 1);
	if (raddr)
		CHECK(inet_pton(k.family, raddr, k.raddr) == 1);
	k.lport = lport;
	k.rport = rport;
	return k;
}

/* A call of NR on FD that worked or is in progress (RET), with its socket K */
static void worked(struct bf_writer *w, int ms, int nr, int64_t ret, int fd, const struct ev_sock *k,
		   const char *unix_path)
{
	struct tail t = { .k = *k };
	size_t n = unix_path ? strlen(unix_path) + 1 : 0;

	memcpy(t.more, unix_path ? unix_path : "", n);
	tg_syscall_tail(w, MS(ms), 10 * US, 100, 100, nr, ret, (uint64_t)fd, TAIL_SOCK, &t,
			(uint16_t)(sizeof(t.k) + n));
}

/* A connect or bind on FD that failed with RET: socket K, LEN bytes of argument SA */
static void failed(struct bf_writer *w, int ms, int nr, int64_t ret, int fd, const struct ev_sock *k,
		   const void *sa, size_t len)
{
	struct tail t = { .k = *k };

	if (len) /* (SA may be NULL: an argument not read) */
		memcpy(t.more, sa, len);
	tg_syscall_tail(w, MS(ms), 10 * US, 100, 100, nr, ret, (uint64_t)fd, TAIL_SOCKADDR, &t,
			(uint16_t)(sizeof(t.k) + len));
}

static struct sockaddr_in in4(const char *addr, unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	CHECK(inet_pton(AF_INET, addr, &a.sin_addr) == 1);
	return a;
}

static void write_trace(const char *path)
{
	struct bf_writer *w = TG_START(path, names);
	struct ev_sock tcp = sock(AF_INET, SOCK_STREAM, IPPROTO_TCP, 5001);
	struct ev_sock tcp6 = sock(AF_INET6, SOCK_STREAM, IPPROTO_TCP, 5002);
	struct ev_sock udp = sock(AF_INET, SOCK_DGRAM, IPPROTO_UDP, 5003);
	struct ev_sock unx = sock(AF_UNIX, SOCK_STREAM, 0, 5004);
	struct ev_sock none = { 0 };
	struct sockaddr_in a4 = in4("10.0.0.3", 81), any = in4("0.0.0.0", 8080);
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(82) };
	struct sockaddr_un un = { .sun_family = AF_UNIX, .sun_path = "/run/x.sock" };
	struct sockaddr_un abstract = { .sun_family = AF_UNIX, .sun_path = "\0name" };
	sa_family_t unspec = AF_UNSPEC;
	struct ev_sock k;

	tg_proc_tty(w, 100, MS(-500), "srv", "/bin/srv");
	CHECK(inet_pton(AF_INET6, "2001:db8::9", &a6.sin6_addr) == 1);

	/* a socket, unbound: no ends */
	worked(w, 1, NR_SOCKET, 3, -1, &tcp, NULL);
	/* connected: both ends from the kernel */
	k = ends(tcp, "10.0.0.1", 40000, "10.0.0.2", 80);
	worked(w, 2, NR_CONNECT, 0, 3, &k, NULL);
	/* non-blocking, IPv6: in progress, both ends known */
	k = ends(tcp6, "2001:db8::1", 40001, "2001:db8::2", 443);
	worked(w, 3, NR_CONNECT, -115, 4, &k, NULL);
	/* refused: the socket holds no ends, the argument the destination */
	failed(w, 4, NR_CONNECT, -111, 5, &tcp, &a4, sizeof(a4));
	/* unroutable, IPv6 */
	failed(w, 5, NR_CONNECT, -101, 6, &tcp6, &a6, sizeof(a6));
	/* AF_UNSPEC, cut short (8 of 16 bytes), unread: no destination */
	failed(w, 6, NR_CONNECT, -97, 7, &tcp, &unspec, sizeof(unspec));
	failed(w, 7, NR_CONNECT, -22, 8, &tcp, &a4, 8);
	failed(w, 8, NR_CONNECT, -14, 9, &tcp, NULL, 0);
	/* a bound socket keeps its local end when refused */
	k = ends(tcp, "10.0.0.1", 7000, NULL, 0);
	failed(w, 9, NR_CONNECT, -111, 10, &k, &a4, sizeof(a4));
	/* an fd that is no socket: the argument only */
	failed(w, 10, NR_CONNECT, -88, 11, &none, &a4, sizeof(a4));
	/* unix: a path, an abstract name */
	failed(w, 11, NR_CONNECT, -2, 12, &unx, &un, sizeof(un));
	failed(w, 12, NR_CONNECT, -111, 13, &unx, &abstract,
	       offsetof(struct sockaddr_un, sun_path) + 5);
	/* bind in use: its argument is the local end */
	failed(w, 13, NR_BIND, -98, 14, &tcp, &any, sizeof(any));
	/* a UDP connect: not TCP */
	k = ends(udp, "10.0.0.1", 5353, "10.0.0.53", 53);
	worked(w, 14, NR_CONNECT, 0, 15, &k, NULL);
	/* accepted: IPv4 by accept4, IPv6 by accept, unix */
	k = ends(tcp, "10.0.0.1", 80, "10.0.0.5", 5555);
	worked(w, 15, NR_ACCEPT4, 16, 3, &k, NULL);
	k = ends(tcp6, "::1", 8443, "::ffff:10.0.0.6", 6666);
	worked(w, 16, NR_ACCEPT, 17, 4, &k, NULL);
	worked(w, 17, NR_ACCEPT, 18, 12, &unx, "/run/x.sock");
	tg_close(w);
}

int main(void)
{
	sqlite3 *db = tg_import(write_trace, NULL);
	char *rows = tg_query(db, "SELECT s.name, s.ret, k.* FROM syscall_socks k "
				  "JOIN syscalls_named s ON s.id = k.syscall_id ORDER BY s.id");

	CHECK_GOLDEN(rows, "golden/socks-table.txt");
	CHECK_GOLDEN_REPORT(db, "tcpconnect", "golden/socks-tcpconnect.txt");
	CHECK_GOLDEN_REPORT(db, "tcpaccept", "golden/socks-tcpaccept.txt");
	free(rows);
	sqlite3_close(db);
	printf("socks: ok\n");
	return 0;
}
