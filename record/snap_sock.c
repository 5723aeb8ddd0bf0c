// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tables of one network namespace are read once and kept while
 * processes of that namespace follow (a snapshot lists them by pid, and
 * most share one), so naming N sockets costs one pass over the tables,
 * not N.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "snap_sock.h"
#include "sock_name.h"

struct snap_entry {
	unsigned long ino;
	char *name;
};

static struct {
	unsigned long netns; /* inode of the namespace cached; 0: none */
	struct snap_entry *e;
	size_t n, cap;
} cache;

static const struct {
	const char *file;
	unsigned family, type;
} tables[] = {
	{ "tcp", AF_INET, SOCK_STREAM },   { "tcp6", AF_INET6, SOCK_STREAM },
	{ "udp", AF_INET, SOCK_DGRAM },	   { "udp6", AF_INET6, SOCK_DGRAM },
	{ "unix", AF_UNIX, 0 },
};

void snap_sock_reset(void)
{
	for (size_t i = 0; i < cache.n; i++)
		free(cache.e[i].name);
	free(cache.e);
	memset(&cache, 0, sizeof(cache));
}

static void add(unsigned long ino, const char *name)
{
	struct snap_entry *e;

	if (cache.n == cache.cap) {
		size_t cap = cache.cap ? 2 * cache.cap : 64;

		e = realloc(cache.e, cap * sizeof(*e));
		if (!e)
			return; /* then it keeps its socket:[ino] */
		cache.e = e;
		cache.cap = cap;
	}
	cache.e[cache.n].name = strdup(name);
	if (cache.e[cache.n].name)
		cache.e[cache.n++].ino = ino;
}

/* Every socket of PID's namespace into the cache. */
static void load(int pid)
{
	char path[64], line[512], name[320], upath[256];
	unsigned long ino;
	struct ev_sock k;
	FILE *f;

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		snprintf(path, sizeof(path), "/proc/%d/net/%s", pid, tables[t].file);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			/* the inode is the 10th field (tcp, udp) or the 7th (unix) */
			if (sscanf(line, tables[t].family == AF_UNIX ? "%*s %*s %*s %*s %*s %*s %lu" :
				   "%*s %*s %*s %*s %*s %*s %*s %*s %*s %lu", &ino) != 1 || !ino)
				continue;
			if (sock_from_proc_line(line, tables[t].family, tables[t].type, ino, &k,
						upath, sizeof(upath))) {
				sock_name(name, sizeof(name), &k, upath);
				add(ino, name);
			}
		}
		fclose(f);
	}
}

const char *snap_sock_name(int pid, const char *link, char *buf, size_t len)
{
	unsigned long ino;
	char ns[64];
	struct stat st;

	if (sscanf(link, "socket:[%lu]", &ino) != 1)
		return link;
	snprintf(ns, sizeof(ns), "/proc/%d/ns/net", pid);
	if (stat(ns, &st))
		return link;
	if (cache.netns != st.st_ino) {
		snap_sock_reset();
		cache.netns = st.st_ino;
		load(pid);
	}
	for (size_t i = 0; i < cache.n; i++) {
		if (cache.e[i].ino == ino) {
			snprintf(buf, len, "%s", cache.e[i].name);
			return buf;
		}
	}
	return link;
}
