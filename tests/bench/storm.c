// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Benchmark workloads with a known number of syscalls. Prints one JSON
 * line with its elapsed time and CPU time (its own and its children's), so
 * the benchmark can tell the workload's cost from the recorder's.
 *
 *   storm getppid N        N getppid calls
 *   storm fileio N DIR     N x (openat, write 4 KiB, lseek, read 4 KiB, close)
 *   storm forkexec N       N x (fork, exec storm noop, wait)
 *   storm held-getppid N [M]   stops itself, then N getppid calls; with M,
 *                          stops again, then M more (for e2e-drops)
 *   storm pingpong N       on each of CPUs 0 and 1, two threads pinned to it
 *                          hand a byte back and forth N times over pipes: a
 *                          context switch storm (sched_switch, sched_wakeup)
 *                          for the tracepoint benchmark; calls = round trips
 */

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static long long tv_ns(struct timeval tv)
{
	return tv.tv_sec * 1000000000ll + tv.tv_usec * 1000ll;
}

static long getppid_loop(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return n;
}

static long fileio_loop(long n, const char *dir)
{
	char path[4096], buf[4096];

	memset(buf, 'x', sizeof(buf));
	snprintf(path, sizeof(path), "%s/storm.%d", dir, getpid());
	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) ||
		    lseek(fd, 0, SEEK_SET) != 0 || read(fd, buf, sizeof(buf)) != sizeof(buf)) {
			perror("storm: fileio");
			exit(1);
		}
		close(fd);
	}
	unlink(path);
	return n * 5;
}

static long forkexec_loop(long n, const char *self)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			execl(self, "storm", "noop", (char *)NULL);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}
	return n; /* forks; each child adds its own exec and startup calls */
}

struct pong {
	int in, out, cpu, first;
	long n;
	pthread_barrier_t *go;
};

static void *pong_side(void *arg)
{
	struct pong *p = arg;
	cpu_set_t set;
	char c = 0;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set); /* a single CPU: fails quietly */
	pthread_barrier_wait(p->go);
	for (long i = 0; i < p->n; i++)
		if ((p->first && write(p->out, &c, 1) != 1) || read(p->in, &c, 1) != 1 ||
		    (!p->first && write(p->out, &c, 1) != 1))
			exit(1);
	return NULL;
}

/*
 * One pair of threads per CPU, both pinned to it, handing a byte back and
 * forth: each round trip is two wakeups and two switches on that CPU. (A
 * pair split across two CPUs manages only ~20k round trips/s on a VM, every
 * wakeup an IPI: too slow to make 1M events/s.) The loop's time starts
 * once every thread is created and pinned (*t0), like the other loops'.
 */
static long pingpong_loop(long n, long long *t0)
{
	struct pong p[4];
	pthread_t t[4];
	pthread_barrier_t go;

	for (int pair = 0; pair < 2; pair++) {
		int ab[2], ba[2];

		if (pipe(ab) || pipe(ba))
			exit(1);
		p[2 * pair] = (struct pong){ ba[0], ab[1], pair, 1, n, &go };
		p[2 * pair + 1] = (struct pong){ ab[0], ba[1], pair, 0, n, &go };
	}
	pthread_barrier_init(&go, NULL, 5);
	for (int i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, pong_side, &p[i]))
			exit(1);
	pthread_barrier_wait(&go);
	*t0 = now_ns();
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	return 2 * n; /* round trips */
}

/*
 * For a test that must count every syscall: prints the count, stops itself
 * (SIGSTOP), so that it can be pinned and traced before it runs, and once
 * continued makes exactly N getppid calls (then, with M, one kill to stop
 * again and M more) and one exit_group, nothing else. Raw syscalls: libc's
 * raise() and exit() make calls of their own.
 */
static void held_getppid(long n, long m)
{
	long self = getpid(); /* before the counted part: getpid is a syscall too */

	printf("{\"workload\": \"held-getppid\", \"n\": %ld, \"calls\": %ld}\n", n + m,
	       n + m + 1 + (m > 0));
	fflush(stdout);
	syscall(SYS_kill, self, SIGSTOP);
	getppid_loop(n);
	if (m > 0) {
		syscall(SYS_kill, self, SIGSTOP);
		getppid_loop(m);
	}
	syscall(SYS_exit_group, 0);
}

int main(int argc, char **argv)
{
	long long t0, t1;
	struct rusage ru, ch;
	long n, calls;

	if (argc >= 2 && !strcmp(argv[1], "noop"))
		return 0;
	if (argc < 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: storm getppid|fileio|forkexec|held-getppid|pingpong N [DIR]\n");
		return 2;
	}
	if (!strcmp(argv[1], "held-getppid"))
		held_getppid(n, argc >= 4 ? atol(argv[3]) : 0);
	t0 = now_ns();
	if (!strcmp(argv[1], "getppid")) {
		calls = getppid_loop(n);
	} else if (!strcmp(argv[1], "fileio") && argc == 4) {
		calls = fileio_loop(n, argv[3]);
	} else if (!strcmp(argv[1], "pingpong")) {
		calls = pingpong_loop(n, &t0);
	} else if (!strcmp(argv[1], "forkexec")) {
		char self[4096];
		ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (len < 0)
			return 1;
		self[len] = 0;
		calls = forkexec_loop(n, self);
	} else {
		fprintf(stderr, "storm: unknown workload '%s'\n", argv[1]);
		return 2;
	}
	t1 = now_ns();
	getrusage(RUSAGE_SELF, &ru);
	getrusage(RUSAGE_CHILDREN, &ch);
	printf("{\"workload\": \"%s\", \"n\": %ld, \"calls\": %ld, \"elapsed_ns\": %lld, "
	       "\"cpu_ns\": %lld}\n",
	       argv[1], n, calls, t1 - t0,
	       tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime) + tv_ns(ch.ru_utime) + tv_ns(ch.ru_stime));
	return 0;
}
