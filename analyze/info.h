/* SPDX-License-Identifier: GPL-2.0-only */
/* `analyze info`: a trace's metadata and stop summary, read without importing. */
#ifndef AN_INFO_H
#define AN_INFO_H

#include <stdio.h>

#include "common.h"

/* Print the summary of trace PATH to FP; salvage warnings go to stderr. */
int info_print(const char *path, FILE *fp, struct an_err *e);

#endif /* AN_INFO_H */
