// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Capture workload: the cases where what the probes read is not simply
 * there at sys_enter, with what the workload itself saw written to OUT for
 * the test (tests/e2e_capture.sh) to compare against the trace.
 *
 *   capture DIR OUT
 *
 * - Paths whose page is not faulted in at sys_enter: each is in a file
 *   mapped and never touched, so only the kernel's own copy faults it in
 *   (as a string constant in untouched rodata). openat then writes
 *   "hello" (5 bytes) to DIR/x.dat; rename of two such paths.
 * - A real empty path: fstatat(fd, "", AT_EMPTY_PATH).
 * - A failed exec of ./no-such-prog (an untouched path too) with known args,
 *   and a child's exec of /bin/true through an untouched path.
 * - Two pipes and a loopback TCP connection (listener, client, accepted
 *   with a NULL address), each with known bytes; OUT gets each fd's
 *   /proc/self/fd readlink, and each socket's addresses from
 *   getsockname/getpeername, in the naming the analyzer uses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PIPE1_BYTES 111
#define PIPE2_BYTES 222
#define CLIENT_BYTES 333 /* client -> accepted */
#define SERVER_BYTES 444 /* accepted -> client */

static FILE *out;

static void die(const char *what)
{
	fprintf(stderr, "capture: %s: %s\n", what, strerror(errno));
	exit(100);
}

/* NAME mapped from a file and not touched: its page is not faulted in. */
static const char *untouched(const char *file, const char *name)
{
	int fd = open(file, O_CREAT | O_RDWR | O_TRUNC, 0644);
	void *p;

	if (fd < 0 || write(fd, name, strlen(name) + 1) < 0)
		die(file);
	/* out of the page cache too, so fault-around cannot map it early */
	if (fdatasync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		die("fadvise");
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	close(fd);
	return p;
}

static void paths(void)
{
	const char *x = untouched("name1", "x.dat");
	const char *y = untouched("name2", "y.dat");
	const char *z = untouched("name3", "z.dat");
	struct stat st;
	int fd;

	fd = open(x, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "hello", 5) != 5)
		die("x.dat");
	if (fstatat(fd, "", &st, AT_EMPTY_PATH))
		die("fstatat");
	close(fd);
	fd = open("y.dat", O_CREAT | O_WRONLY, 0644);
	close(fd);
	if (rename(y, z))
		die("rename");
}

static void failed_exec(void)
{
	const char *prog = untouched("name4", "./no-such-prog");
	char a0[] = "no-such-prog", a1[] = "--flag", a2[] = "two words";
	char *argv[] = { a0, a1, a2, NULL }, *envp[] = { NULL };

	if (execve(prog, argv, envp) == 0 || errno != ENOENT)
		die("execve did not fail with ENOENT");
}

/* an exec that works: the old address space, and the path in it, is gone at sys_exit */
static void good_exec(void)
{
	const char *prog = untouched("name5", "/bin/true");
	char a0[] = "true", *argv[] = { a0, NULL }, *envp[] = { NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(prog, argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
		die("/bin/true");
}

/* "pipe1 pipe:[N]": the name /proc gives fd */
static void print_link(const char *what, int fd)
{
	char link[64], target[256];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		die("readlink");
	target[n] = 0;
	fprintf(out, "%s %s\n", what, target);
}

static void move(int from, int to, int bytes)
{
	char buf[512] = { 0 };

	if (write(from, buf, bytes) != bytes || read(to, buf, sizeof(buf)) != bytes)
		die("move");
}

static void pipes(void)
{
	int p1[2], p2[2];

	if (pipe(p1) || pipe2(p2, O_CLOEXEC))
		die("pipe");
	move(p1[1], p1[0], PIPE1_BYTES);
	move(p2[1], p2[0], PIPE2_BYTES);
	print_link("pipe1", p1[0]);
	print_link("pipe2", p2[0]);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
}

static void addr_str(char *buf, size_t len, const struct sockaddr_in *a)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, ntohs(a->sin_port));
}

/* "client tcp 127.0.0.1:C->127.0.0.1:P", from the socket's own view */
static void print_sock(const char *what, int fd, int connected)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	char l[64], r[64] = "";

	if (getsockname(fd, (struct sockaddr *)&a, &alen))
		die("getsockname");
	addr_str(l, sizeof(l), &a);
	alen = sizeof(a);
	if (connected && getpeername(fd, (struct sockaddr *)&a, &alen))
		die("getpeername");
	if (connected)
		addr_str(r, sizeof(r), &a);
	fprintf(out, "%s tcp %s%s%s\n", what, l, connected ? "->" : "", r);
}

static void sockets(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int l, c, s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &alen))
		die("listen");
	if (connect(c, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	s = accept(l, NULL, NULL);
	if (s < 0)
		die("accept");
	move(c, s, CLIENT_BYTES);
	move(s, c, SERVER_BYTES);
	print_sock("listener", l, 0);
	print_sock("client", c, 1);
	print_sock("accepted", s, 1);
	close(s);
	close(c);
	close(l);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	if (chdir(argv[1]))
		die(argv[1]);
	out = fopen(argv[2], "w");
	if (!out)
		die(argv[2]);
	paths();
	failed_exec();
	good_exec();
	pipes();
	sockets();
	return fclose(out) ? 1 : 0;
}
