// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_floor OBJECT [-t SYS:EVENT,...] COMMAND...: attach the empty
 * programs of OBJECT (floor.bpf.o), run COMMAND, detach, exit with its
 * status. The benchmark's floor tool: the probes' cost and nothing else.
 * Without -t, the syscall probes (every auto-attached program); with -t,
 * only the tracepoint-type program, once on each tracepoint named.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>

/* "sys:event,sys:event": one link of PROG per tracepoint */
static int attach_tracepoints(struct bpf_program *prog, char *list)
{
	for (char *tp = strtok(list, ","); tp; tp = strtok(NULL, ",")) {
		char *event = strchr(tp, ':');

		if (!event) {
			fprintf(stderr, "bench_floor: '%s' is not SYS:EVENT\n", tp);
			return -1;
		}
		*event++ = 0;
		if (!bpf_program__attach_tracepoint(prog, tp, event)) {
			fprintf(stderr, "bench_floor: cannot attach to %s:%s\n", tp, event);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	char *tps = NULL;
	struct bpf_object *obj;
	struct bpf_program *p;
	int cmd = 2, status;
	pid_t pid;

	if (argc >= 4 && !strcmp(argv[2], "-t")) {
		tps = argv[3];
		cmd = 4;
	}
	if (argc <= cmd) {
		fprintf(stderr, "usage: bench_floor OBJECT [-t SYS:EVENT,...] COMMAND...\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "bench_floor: cannot load %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(p, obj) {
		int is_tp = !strcmp(bpf_program__section_name(p), "tracepoint");

		if (tps && is_tp && attach_tracepoints(p, tps))
			return 1;
		if (!tps && !is_tp && !bpf_program__attach(p)) {
			fprintf(stderr, "bench_floor: cannot attach %s\n", bpf_program__name(p));
			return 1;
		}
	}
	pid = fork();
	if (pid == 0) {
		execvp(argv[cmd], argv + cmd);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 1;
	bpf_object__close(obj);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
