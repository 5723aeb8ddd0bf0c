// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Known-quantities workload: does exact counts of things so a test can
 * record it and assert those exact numbers in the reports. Every quantity
 * is a #define below; tests/e2e_workload.sh asserts the same numbers.
 *
 *   workload DIR            the main run (expects fd 7 open on a 500-byte file
 *                           and a directory DIR/sub)
 *   workload --child S      exec'd by the main run: N_CHILD_GETPPID getppid, exit S
 *   workload --on-usr1 N    wait for SIGUSR1, then N getppid calls, exit 0
 *   workload --thread-on-usr1 N   the same, made by a thread named "wl-worker"
 *   workload --leak-sockets N     leak N UDP sockets connected to 127.0.0.1, next
 *                           to fds it closes; print "ready PID", wait to be killed
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_GETPPID 1000 /* getppid calls by the main process */
#define N_CHILD_GETPPID 7 /* getppid calls by the exec'd child */
#define CHILD_STATUS 3 /* exit status of the exec'd child */
#define DATA_WRITES 10 /* data.bin: written in 10 writes of 4096 bytes */
#define DATA_WRITE_SIZE 4096
#define DATA_READ_SIZE 1024 /* read back in 40 reads + 1 at EOF */
#define DUP_FD 42 /* dup.txt is written through dup2(fd, 42) */
#define DUP_WRITES 3 /* of 6 bytes */
#define INHERITED_FD 7 /* inherited.txt: 500 bytes, read in 100-byte reads */
#define INHERITED_READ_SIZE 100
#define N_ENOENT 2 /* failed opens of a missing file */
#define REL_WRITE 5 /* rel.txt: opened as "sub/../rel.txt" after chdir(DIR) */
#define LEAK_PORT 9 /* --leak-sockets: the discard port; a UDP connect sends nothing */
#define N_MOVED_SLEEPS 4 /* "wl-sleeper": sleeps of SLEEP_MS, moved to another CPU while asleep */
#define SLEEP_MS 20

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(100);
}

static int open_in(const char *dir, const char *name, int flags)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return open(path, flags, 0644);
}

static void getppid_n(int n)
{
	for (int i = 0; i < n; i++)
		syscall(SYS_getppid); /* no libc caching: one syscall each */
}

static void write_data(const char *dir)
{
	char buf[DATA_WRITE_SIZE];
	int fd = open_in(dir, "data.bin", O_WRONLY | O_CREAT | O_TRUNC);

	if (fd < 0)
		die("open data.bin");
	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < DATA_WRITES; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			die("write data.bin");
	close(fd);
}

/* Read until EOF in SIZE chunks; the last read returns 0. */
static void read_all(int fd, size_t size)
{
	char buf[DATA_WRITE_SIZE];
	ssize_t n;

	while ((n = read(fd, buf, size)) > 0)
		;
	if (n < 0)
		die("read");
}

static void read_data(const char *dir)
{
	int fd = open_in(dir, "data.bin", O_RDONLY);

	if (fd < 0)
		die("open data.bin");
	read_all(fd, DATA_READ_SIZE);
	close(fd);
}

static void write_through_dup(const char *dir)
{
	int fd = open_in(dir, "dup.txt", O_WRONLY | O_CREAT | O_TRUNC);

	if (fd < 0 || dup2(fd, DUP_FD) != DUP_FD)
		die("open/dup2 dup.txt");
	close(fd);
	for (int i = 0; i < DUP_WRITES; i++)
		if (write(DUP_FD, "hello\n", 6) != 6)
			die("write dup.txt");
	close(DUP_FD);
}

static void pipe_roundtrip(void)
{
	int p[2];
	char buf[3];

	if (pipe2(p, O_CLOEXEC) || write(p[1], "abc", 3) != 3 ||
	    read(p[0], buf, 3) != 3)
		die("pipe");
	close(p[0]);
	close(p[1]);
}

struct sleeper {
	sem_t going; /* the sleeper is about to sleep (a futex: no fds to count) */
	pid_t tid;
};

static void *sleeper(void *arg)
{
	struct sleeper *s = arg;
	struct timespec ts = { 0, SLEEP_MS * 1000000L };

	pthread_setname_np(pthread_self(), "wl-sleeper"); /* before its first sleep */
	s->tid = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < N_MOVED_SLEEPS; i++)
		if (sem_post(&s->going) || clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL))
			die("sleeper");
	return NULL;
}

/*
 * Calls that block, their thread moved to the other CPU while it sleeps
 * (when there is one): the recorder keeps a call in flight per CPU until
 * its task leaves the CPU, so these exit elsewhere than they entered.
 */
static void moved_sleeps(void)
{
	struct sleeper s = { 0 };
	struct timespec half = { 0, SLEEP_MS * 1000000L / 2 };
	pthread_t th;

	if (sem_init(&s.going, 0, 0) || pthread_create(&th, NULL, sleeper, &s))
		die("sleeper thread");
	for (int i = 0; i < N_MOVED_SLEEPS; i++) {
		cpu_set_t set;

		if (sem_wait(&s.going))
			die("sleeper wait");
		nanosleep(&half, NULL);
		CPU_ZERO(&set);
		CPU_SET(i % 2, &set);
		sched_setaffinity(s.tid, sizeof(set), &set); /* fails on one CPU: fine */
	}
	if (pthread_join(th, NULL))
		die("sleeper join");
	sem_destroy(&s.going);
}

static void run_child(const char *self)
{
	char status[16];
	pid_t pid;
	int st;

	snprintf(status, sizeof(status), "%d", CHILD_STATUS);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execl(self, "workload", "--child", status, (char *)NULL);
		die("exec");
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != CHILD_STATUS)
		die("child status");
}

/* A child killed by SIGKILL: exitsnoop shows the signal. */
static void killed_child(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1 = 1;
}

static int go_pipe[2];
static int worker_calls;

static void *worker(void *arg)
{
	char go;

	(void)arg;
	if (read(go_pipe[0], &go, 1) != 1)
		die("worker go");
	getppid_n(worker_calls);
	return NULL;
}

/*
 * For recording by pid: nothing counted happens before the signal. With
 * THREADED the calls come from a named thread that already exists when the
 * recording starts.
 */
static int getppid_on_usr1(int n, int threaded)
{
	sigset_t block, old;
	pthread_t th;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGUSR1, on_usr1);
	if (threaded) {
		worker_calls = n;
		if (pipe(go_pipe) || pthread_create(&th, NULL, worker, NULL))
			die("thread");
		pthread_setname_np(th, "wl-worker");
	}
	while (!usr1)
		sigsuspend(&old);
	if (!threaded) {
		getppid_n(n);
		return 0;
	}
	if (write(go_pipe[1], "g", 1) != 1 || pthread_join(th, NULL))
		die("thread go");
	return 0;
}

/*
 * An fd accumulator: each round opens a file, a pipe and a socket and
 * closes them, then leaks one connected UDP socket. The caller learns that
 * all N are open from "ready PID" on stdout; we stay alive until killed, so
 * the trace ends with the N sockets open.
 */
static __attribute__((noreturn)) void leak_sockets(int n)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(LEAK_PORT) };
	int i, fd, p[2];

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < n; i++) {
		fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
		if (fd < 0 || close(fd) || pipe2(p, O_CLOEXEC) || close(p[0]) || close(p[1]))
			die("open/close");
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || close(fd))
			die("socket/close");
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0); /* leaked */
		if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)))
			die("leaked socket");
	}
	if (printf("ready %d\n", (int)getpid()) < 0 || fflush(stdout))
		die("ready");
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *dir;

	if (argc == 3 && !strcmp(argv[1], "--child")) {
		getppid_n(N_CHILD_GETPPID);
		return atoi(argv[2]);
	}
	if (argc == 3 && !strcmp(argv[1], "--on-usr1"))
		return getppid_on_usr1(atoi(argv[2]), 0);
	if (argc == 3 && !strcmp(argv[1], "--thread-on-usr1"))
		return getppid_on_usr1(atoi(argv[2]), 1);
	if (argc == 3 && !strcmp(argv[1], "--leak-sockets"))
		leak_sockets(atoi(argv[2]));
	if (argc != 2) {
		fprintf(stderr, "usage: workload DIR | workload --child STATUS\n");
		return 2;
	}
	dir = argv[1];

	getppid_n(N_GETPPID);
	write_data(dir);
	read_data(dir);
	write_through_dup(dir);
	read_all(INHERITED_FD, INHERITED_READ_SIZE);
	for (int i = 0; i < N_ENOENT; i++)
		if (open_in(dir, "does-not-exist", O_RDONLY) >= 0)
			die("open does-not-exist succeeded");
	pipe_roundtrip();
	moved_sleeps();
	/* a relative path: the analyzer resolves it against the cwd */
	{
		int fd;

		if (chdir(dir) || (fd = open("sub/../rel.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
		    write(fd, "12345", REL_WRITE) != REL_WRITE || close(fd))
			die("relative open");
	}
	/* Leaked on purpose: opened, never closed, still open at exit. */
	if (open_in(dir, "leaked.txt", O_WRONLY | O_CREAT | O_TRUNC) < 0)
		die("open leaked.txt");
	{
		char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n < 0)
			die("readlink /proc/self/exe");
		self[n] = 0;
		run_child(self);
	}
	killed_child();
	return 0;
}
