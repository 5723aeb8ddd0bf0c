// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"

int launch_prepare(struct launch *l, char **argv)
{
	int fds[2];
	char go;

	/* O_CLOEXEC: the command must not inherit our end of the pipe. */
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	l->pid = fork();
	if (l->pid < 0) {
		int err = -errno;

		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (l->pid == 0) {
		close(fds[1]);
		/* EOF instead of a byte: the recorder gave up, do not run. */
		if (read(fds[0], &go, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "record: cannot run '%s': %s\n", argv[0], strerror(errno));
		/* the shell's codes: not found, or found but not runnable */
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(fds[0]);
	l->go_fd = fds[1];
	return 0;
}

int launch_start(struct launch *l)
{
	int err = write(l->go_fd, "g", 1) == 1 ? 0 : -errno;

	close(l->go_fd);
	l->go_fd = -1;
	return err;
}

void launch_abort(struct launch *l)
{
	if (l->go_fd >= 0)
		close(l->go_fd);
	l->go_fd = -1;
	waitpid(l->pid, NULL, 0);
}
