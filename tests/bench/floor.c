// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_floor OBJECT COMMAND...: attach every program of OBJECT (the empty
 * floor.bpf.o), run COMMAND, detach, exit with its status. The benchmark's
 * floor tool: the probes' cost and nothing else.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	int status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_floor OBJECT COMMAND...\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "bench_floor: cannot load %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(p, obj)
		if (!bpf_program__attach(p)) {
			fprintf(stderr, "bench_floor: cannot attach %s\n", bpf_program__name(p));
			return 1;
		}
	pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 1;
	bpf_object__close(obj);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
