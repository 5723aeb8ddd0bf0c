// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "tp_field_filter.h"
#include "trace_format.h"

const char *argp_program_version = "record (bpfrec) 0.1.0";

static const char doc[] =
	"Record kernel events into a compressed .bpfrec trace file.\v"
	"Groups: "
#define GROUP(id, name, parent, label, help) name " (" help "), "
#include "groups.def"
	"all; and tracepoints as SYSTEM:EVENT, globs allowed ('sched:*'), "
	"NAME@all recording it in every task's context, NAME/FILTER/ keeping the "
	"events whose fields match (FIELD OP VALUE joined by && and ||; OP: == != < "
	"<= > >= &, strings with == and !=; record -l -v NAME lists the fields). "
	"Default: all groups.\n\n"
	"Examples:\n"
	"  record -o ls.bpfrec -- ls -l     # a command and its children\n"
	"  record -a --duration 5           # the whole system for 5 s\n"
	"  record -p 1234 -e files          # one process's fds\n"
	"  record -c nginx -e syscalls      # every process named nginx\n"
	"  record -a -e 'sched:*,signal:signal_generate' --duration 5\n"
	"  record -a -e 'sched:sched_switch/prev_pid == 1234 && prev_state != 0/'\n"
	"  record -l 'sched:*'              # tracepoints; -l -v NAME: their fields";

static const char args_doc[] = "[-- COMMAND [ARGS...]]";

enum { OPT_DURATION = 256, OPT_BUFFER, OPT_WAKEUP, OPT_NO_BTF, OPT_NO_ARGS };

static const struct argp_option options[] = {
	{ "output", 'o', "FILE", 0, "Trace file (default: trace.bpfrec)", 0 },
	{ "events", 'e', "GROUP[,GROUP...]", 0, "Probe groups and tracepoints to record", 0 },
	{ "list", 'l', NULL, 0, "List groups and tracepoints [matching GLOB], -v: with fields", 0 },
	{ "all-cpus", 'a', NULL, 0, "Record the whole system", 0 },
	{ "pid", 'p', "PID", 0, "Record this process (all its threads)", 0 },
	{ "comm", 'c', "COMM", 0, "Record tasks with this command name", 0 },
	{ "duration", OPT_DURATION, "SEC", 0, "Stop after SEC seconds", 0 },
	{ "compress", 'z', "LEVEL", 0, "zstd level, 0 = none (default 1)", 0 },
	{ "buffer-size", OPT_BUFFER, "MB", 0,
	  "Ring buffers' total size, a power of two, one ring per CPU (default 32)", 0 },
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

/* A SYSTEM:EVENT token of -e (LEN bytes at TOK): kept for tracepoints.c to resolve. */
static int add_tp_spec(struct rec_opts *o, const char *tok, size_t len)
{
	const char **v = realloc(o->tp_specs, (o->ntp_specs + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	o->tp_specs = v;
	if (!(v[o->ntp_specs] = strndup(tok, len)))
		return -ENOMEM;
	o->ntp_specs++;
	return 0;
}

/*
 * The length of the -e token at P: up to a ',' that is not in a field
 * filter (SYSTEM:EVENT/EXPR/, whose strings may hold ',' and '/'). A
 * filter without its closing '/' runs to the end, for tracepoints.c to
 * say so.
 */
static size_t spec_len(const char *p)
{
	size_t len = 0, span;

	for (;;) {
		len += strcspn(p + len, ",/");
		if (p[len] != '/')
			return len;
		span = tpff_span(p + len);
		if (!span)
			return len + strlen(p + len);
		len += span;
	}
}

/*
 * A comma-separated list of group names, each known, none empty, and
 * tracepoint names (SYSTEM:EVENT, globs) for the tracepoints group.
 */
static void parse_groups(struct argp_state *state, const char *list, uint32_t *mask)
{
	const char *p = list;

	*mask = 0;
	if (!*list)
		argp_error(state, "empty group list");
	for (;;) {
		size_t len = spec_len(p);
		int g;

		if (!len)
			argp_error(state, "empty group in '%s'", list);
		for (g = 0; g < GRP_MAX; g++)
			if (strlen(bf_group_names[g]) == len && !strncmp(p, bf_group_names[g], len))
				break;
		if (memchr(p, ':', len)) {
			if (add_tp_spec(state->input, p, len))
				argp_failure(state, EXIT_FAILURE, ENOMEM, "-e");
			*mask |= 1u << GRP_TRACEPOINTS;
		} else if (g < GRP_MAX) {
			*mask |= 1u << g;
		} else if (len == 3 && !strncmp(p, "all", 3)) {
			*mask |= (1u << GRP_MAX) - 1;
		} else {
			argp_error(state, "unknown group '%.*s' ("
#define GROUP(id, name, ...) name ", "
#include "groups.def"
				   "all, or SYSTEM:EVENT)", (int)len, p);
		}
		if (!p[len])
			break;
		p += len + 1;
	}
}

/*
 * Decimal digits, and a fraction when FRACTION: no sign, space, exponent,
 * hex, nan or inf, which strtod takes and a count or a duration does not.
 */
static bool plain_number(const char *s, bool fraction)
{
	size_t digits = strspn(s, "0123456789");

	if (fraction && s[digits] == '.')
		digits += 1 + strspn(s + digits + 1, "0123456789");
	return digits && !s[digits] && strcmp(s, ".");
}

static int parse_num(const char *s, bool fraction, double min, double max, double *out)
{
	if (!plain_number(s, fraction))
		return -EINVAL;
	*out = strtod(s, NULL);
	return *out < min || *out > max ? -EINVAL : 0;
}

bool rec_ring_size_ok(uint64_t bytes)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	return bytes >= page && bytes <= REC_RING_MAX && !(bytes & (bytes - 1)) &&
	       !(bytes % page);
}

uint32_t rec_ring_per_cpu(uint64_t total, int ncpu)
{
	uint64_t per_cpu = total / (ncpu > 0 ? ncpu : 1);
	uint64_t size = (uint64_t)sysconf(_SC_PAGESIZE);

	while (size * 2 <= per_cpu && rec_ring_size_ok(size * 2))
		size *= 2;
	return (uint32_t)size;
}

/* An option with a value given twice: one of the two would be lost. */
static void check_once(struct argp_state *state, int key)
{
	struct rec_opts *o = state->input;
	unsigned int i = 0;

	while (options[i].key != key)
		i++;
	if (o->given & (1u << i)) {
		if (key < 256)
			argp_error(state, "-%c (--%s) given twice", key, options[i].name);
		argp_error(state, "--%s given twice", options[i].name);
	}
	o->given |= 1u << i;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct rec_opts *o = state->input;
	double v;

	if (arg && key != ARGP_KEY_ARG) /* an option with a value */
		check_once(state, key);
	switch (key) {
	case 'o':
		if (!*arg)
			argp_error(state, "empty output file name");
		o->output = arg;
		break;
	case 'e':
		parse_groups(state, arg, &o->groups);
		break;
	case 'a':
		o->all = true;
		break;
	case 'p':
		if (parse_num(arg, false, 1, REC_PID_MAX, &v))
			argp_error(state, "invalid PID '%s' (1-%d)", arg, REC_PID_MAX);
		o->pid = v;
		break;
	case 'c':
		if (!*arg)
			argp_error(state, "empty COMM: it would match no task");
		if (strlen(arg) >= BPFREC_COMM_LEN)
			argp_error(state, "COMM '%s' is longer than %d characters",
				   arg, BPFREC_COMM_LEN - 1);
		o->comm = arg;
		break;
	case OPT_DURATION:
		if (parse_num(arg, true, 0.001, 1e7, &o->duration))
			argp_error(state, "invalid duration '%s' (seconds, 0.001-10000000)", arg);
		break;
	case 'z':
		if (parse_num(arg, false, 0, 19, &v))
			argp_error(state, "invalid compression level '%s' (0-19)", arg);
		o->level = v;
		break;
	case OPT_BUFFER:
		if (parse_num(arg, false, 1, REC_RING_MAX >> 20, &v) ||
		    !rec_ring_size_ok((uint64_t)v << 20))
			argp_error(state, "invalid buffer size '%s' MB (a power of two, 1-%llu)",
				   arg, (unsigned long long)(REC_RING_MAX >> 20));
		o->buffer_bytes = (uint64_t)v << 20;
		break;
	case OPT_WAKEUP:
		if (parse_num(arg, false, 1, REC_RING_MAX >> 11, &v))
			argp_error(state, "invalid wakeup size '%s' KB (1-%llu)", arg,
				   (unsigned long long)(REC_RING_MAX >> 11));
		o->wakeup_bytes = (uint64_t)v << 10;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'l':
		o->list = true;
		break;
	case OPT_NO_BTF:
		o->no_btf = true;
		break;
	case OPT_NO_ARGS:
		o->no_args = true;
		break;
	case ARGP_KEY_ARG:
		if (o->list && !o->list_glob) {
			o->list_glob = arg;
			break;
		}
		o->command = &state->argv[state->next - 1];
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if (o->list)
			break;
		if (!o->all && !o->pid && !o->comm && !o->command)
			argp_error(state, "nothing to record: give -a, -p PID, -c COMM or -- COMMAND");
		if (o->command && (o->all || o->pid))
			argp_error(state, "-- COMMAND records the command: drop -a/-p");
		if (o->all && o->pid)
			argp_error(state, "-a and -p exclude each other");
		/* the kernel never wakes us for a batch the buffer cannot hold */
		if (o->wakeup_bytes > o->buffer_bytes / 2)
			argp_error(state, "--wakeup %llu KB is more than half the ring buffer (%llu MB)",
				   (unsigned long long)(o->wakeup_bytes >> 10),
				   (unsigned long long)(o->buffer_bytes >> 20));
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
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
	/* "all" names the groups; tracepoints only by name (-e SYSTEM:EVENT) */
	if (!o->ntp_specs)
		o->groups &= ~(1u << GRP_TRACEPOINTS);
	return 0;
}

void rec_opts_free(struct rec_opts *o)
{
	for (int i = 0; i < o->ntp_specs; i++)
		free((void *)o->tp_specs[i]);
	free(o->tp_specs);
}
