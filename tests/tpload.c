// SPDX-License-Identifier: GPL-2.0-only
/*
 * Known quantities for the generic tracepoints (tests/e2e_tracepoints.sh):
 *   tpload K SIG N
 * sends K signals SIG to a child, one at a time (each handled before the
 * next), while a thread renames itself N times to "tpname-1".."tpname-N".
 * Prints the child's pid.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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

int main(int argc, char **argv)
{
	int k, sig, ack[2];
	pthread_t t;
	sigset_t set;
	pid_t child;
	char c;

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
