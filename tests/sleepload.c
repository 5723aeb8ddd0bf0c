// SPDX-License-Identifier: GPL-2.0-only
/*
 * Known quantities for runqlat (tests/e2e_runqlat.sh):
 *   sleepload K USEC
 * prints "ready", waits for a byte on stdin, then sleeps exactly K times
 * for USEC microseconds each (nanosleep), prints "done" and waits for
 * stdin's end. A single thread: each sleep is one wakeup of the process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec ts;
	long usec;
	char c;
	int k;

	if (argc != 3)
		return 2;
	k = atoi(argv[1]);
	usec = atol(argv[2]);
	ts.tv_sec = usec / 1000000;
	ts.tv_nsec = usec % 1000000 * 1000;
	printf("ready\n");
	fflush(stdout);
	if (read(0, &c, 1) != 1)
		return 1;
	for (int i = 0; i < k; i++)
		if (nanosleep(&ts, NULL))
			return 1;
	printf("done\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
