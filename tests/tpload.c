// SPDX-License-Identifier: GPL-2.0-only
/*
 * Known quantities for the generic tracepoints (tests/e2e_tracepoints.sh,
 * tests/e2e_tp_filters.sh):
 *   tpload K SIG N
 * sends K signals SIG to a child, one at a time (each handled before the
 * next), while a thread renames itself N times to "tpname-1".."tpname-N".
 * Prints the child's pid.
 *   tpload kill SIG COUNT PID [COUNT PID...]
 * sends COUNT signals SIG with kill() to each PID (processes the test
 * started: their pids are known before recording, for filters on them).
 *   tpload clone T F
 * starts T threads and forks F children, one at a time, each waited for.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int renames;

static void *renamer(void *arg)
{
	char name[16];

	(void)arg;
	for (int i = 1; i <= renames; i++) {
		snprintf(name, sizeof(name), "tpname-%d", i % 100000); /* fits the comm */
		prctl(PR_SET_NAME, name);
	}
	return NULL;
}

static void on_sig(int sig)
{
	(void)sig;
}

static int kill_mode(int argc, char **argv)
{
	int sig = atoi(argv[2]);

	for (int i = 3; i + 1 < argc; i += 2)
		for (int n = atoi(argv[i]); n > 0; n--)
			if (kill(atoi(argv[i + 1]), sig))
				return 1;
	return argc % 2 ? 0 : 2;
}

static void *nothing(void *arg)
{
	return arg;
}

static int clone_mode(int argc, char **argv)
{
	pthread_t t;
	pid_t pid;

	if (argc != 4)
		return 2;
	for (int i = atoi(argv[2]); i > 0; i--)
		if (pthread_create(&t, NULL, nothing, NULL) || pthread_join(t, NULL))
			return 1;
	for (int i = atoi(argv[3]); i > 0; i--) {
		pid = fork();
		if (pid < 0)
			return 1;
		if (!pid)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int k, sig, ack[2];
	pthread_t t;
	sigset_t set;
	pid_t child;
	char c;

	if (argc >= 3 && !strcmp(argv[1], "kill"))
		return kill_mode(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "clone"))
		return clone_mode(argc, argv);
	if (argc != 4)
		return 2;
	k = atoi(argv[1]);
	sig = atoi(argv[2]);
	renames = atoi(argv[3]);
	if (pipe(ack) || pthread_create(&t, NULL, renamer, NULL))
		return 1;
	/* blocked until the child waits for it: no signal arrives unhandled */
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(sig, on_sig);
	child = fork();
	if (child == 0) {
		for (int i = 0; i < k; i++) {
			int got;

			if (write(ack[1], "r", 1) != 1 || sigwait(&set, &got))
				_exit(1);
		}
		_exit(write(ack[1], "r", 1) != 1);
	}
	printf("%d\n", child);
	fflush(stdout);
	for (int i = 0; i < k; i++) {
		if (read(ack[0], &c, 1) != 1 || kill(child, sig))
			return 1;
	}
	if (read(ack[0], &c, 1) != 1)
		return 1;
	waitpid(child, NULL, 0);
	pthread_join(t, NULL);
	return 0;
}
