// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "trace_format.h"

const char *argp_program_version = "record (bpfrec) 0.1.0";

static const char doc[] =
	"Record kernel events into a compressed .bpfrec trace file.\v"
	"Groups: "
#define GROUP(id, name, parent, label, help) name " (" help "), "
#include "groups.def"
	"all. Default: all groups.\n\n"
	"Examples:\n"
	"  record -o ls.bpfrec -- ls -l     # a command and its children\n"
	"  record -a --duration 5           # the whole system for 5 s\n"
	"  record -p 1234 -e files          # one process's fds\n"
	"  record -c nginx -e syscalls      # every process named nginx";

static const char args_doc[] = "[-- COMMAND [ARGS...]]";

enum { OPT_DURATION = 256, OPT_BUFFER, OPT_WAKEUP, OPT_NO_BTF, OPT_NO_ARGS };

static const struct argp_option options[] = {
	{ "output", 'o', "FILE", 0, "Trace file (default: trace.bpfrec)", 0 },
	{ "events", 'e', "GROUP[,GROUP...]", 0, "Probe groups to record", 0 },
	{ "all-cpus", 'a', NULL, 0, "Record the whole system", 0 },
	{ "pid", 'p', "PID", 0, "Record this process (all its threads)", 0 },
	{ "comm", 'c', "COMM", 0, "Record tasks with this command name", 0 },
	{ "duration", OPT_DURATION, "SEC", 0, "Stop after SEC seconds", 0 },
	{ "compress", 'z', "LEVEL", 0, "zstd level, 0 = none (default 1)", 0 },
	{ "buffer-size", OPT_BUFFER, "MB", 0, "Ring buffers' total size, one ring per CPU (default 32)", 0 },
	{ "wakeup", OPT_WAKEUP, "KB", 0,
	  "Pending data that wakes the recorder (default 256)", 0 },
	{ "no-btf", OPT_NO_BTF, NULL, 0,
	  "Use the fallback probes (raw_tp, hash map) even where tp_btf works", 0 },
	{ "no-args", OPT_NO_ARGS, NULL, 0,
	  "Record no argument strings (exec argv, command lines): for traces that leave the host",
	  0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf messages", 0 },
	{},
};

static int parse_groups(const char *list, uint32_t *mask)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int err = 0;

	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int g;

		if (!strcmp(tok, "all")) {
			*mask |= (1u << GRP_MAX) - 1;
			continue;
		}
		for (g = 0; g < GRP_MAX; g++)
			if (!strcmp(tok, bf_group_names[g]))
				break;
		if (g == GRP_MAX) {
			err = -EINVAL;
			break;
		}
		*mask |= 1u << g;
	}
	free(copy);
	return err ?: (*mask ? 0 : -EINVAL);
}

static int parse_num(const char *s, double min, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || *out < min || *out > max ? -EINVAL : 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct rec_opts *o = state->input;
	double v;

	switch (key) {
	case 'o':
		o->output = arg;
		break;
	case 'e':
		if (parse_groups(arg, &o->groups))
			argp_error(state, "unknown group in '%s' ("
#define GROUP(id, name, ...) name ", "
#include "groups.def"
				   "all)", arg);
		break;
	case 'a':
		o->all = true;
		break;
	case 'p':
		if (parse_num(arg, 1, 1 << 22, &v) || v != (int)v)
			argp_error(state, "invalid PID '%s'", arg);
		o->pid = v;
		break;
	case 'c':
		if (strlen(arg) >= BPFREC_COMM_LEN)
			argp_error(state, "COMM '%s' is longer than %d characters",
				   arg, BPFREC_COMM_LEN - 1);
		o->comm = arg;
		break;
	case OPT_DURATION:
		if (parse_num(arg, 0.001, 1e7, &o->duration))
			argp_error(state, "invalid duration '%s'", arg);
		break;
	case 'z':
		if (parse_num(arg, 0, 19, &v) || v != (int)v)
			argp_error(state, "invalid compression level '%s' (0-19)", arg);
		o->level = v;
		break;
	case OPT_BUFFER:
		if (parse_num(arg, 1, 4096, &v) || v != (int)v)
			argp_error(state, "invalid buffer size '%s' MB (1-4096)", arg);
		o->buffer_bytes = (uint64_t)v << 20;
		break;
	case OPT_WAKEUP:
		if (parse_num(arg, 1, 1 << 20, &v))
			argp_error(state, "invalid wakeup size '%s' KB", arg);
		o->wakeup_bytes = v * 1024;
		break;
	case 'v':
		o->verbose = true;
		break;
	case OPT_NO_BTF:
		o->no_btf = true;
		break;
	case OPT_NO_ARGS:
		o->no_args = true;
		break;
	case ARGP_KEY_ARG:
		o->command = &state->argv[state->next - 1];
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if (!o->all && !o->pid && !o->comm && !o->command)
			argp_error(state, "nothing to record: give -a, -p PID, -c COMM or -- COMMAND");
		if (o->command && (o->all || o->pid))
			argp_error(state, "-- COMMAND records the command: drop -a/-p");
		if (o->all && o->pid)
			argp_error(state, "-a and -p exclude each other");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The ring buffer size must be a power of two multiple of the page size. */
static uint64_t pow2_ceil(uint64_t v)
{
	uint64_t p = 4096;

	while (p < v)
		p <<= 1;
	return p;
}

int rec_parse_args(int argc, char **argv, struct rec_opts *o)
{
	static const struct argp argp = { options, parse_opt, args_doc, doc };

	*o = (struct rec_opts){
		.output = "trace.bpfrec",
		.groups = (1u << GRP_MAX) - 1,
		.level = 1, /* as small as 3 on traces, at half the CPU */
		.buffer_bytes = 32ull << 20,
		.wakeup_bytes = 256 * 1024,
	};
	/* argp prefixes its errors with argv[0]: make that "record: ...". */
	if (argc > 0 && strrchr(argv[0], '/'))
		argv[0] = strrchr(argv[0], '/') + 1;
	argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, o);
	o->buffer_bytes = pow2_ceil(o->buffer_bytes);
	if (o->wakeup_bytes > o->buffer_bytes / 2)
		o->wakeup_bytes = o->buffer_bytes / 2;
	return 0;
}
