/* ns-fuzz-targets.h: one entry per parser, shared by the libFuzzer harnesses and the replay test.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each entry feeds data (any bytes) to one parser and, when it succeeds, through the code that
 * consumes its result. It returns 0; a crash, a sanitizer report, a GLib warning or critical, or
 * a broken invariant (g_error) is the finding. */
typedef int (*NsFuzzTarget) (const guint8 *data, size_t len);

typedef struct {
  const char *name; /* "csv": harness fuzz-csv, corpus tests/fuzz/corpus/csv */
  NsFuzzTarget run;
} NsFuzzTargetInfo;

/* Once per process: makes GLib warnings and criticals fatal, switches LC_NUMERIC to a comma
 * locale when one is installed (so locale-dependent number code shows up), makes a scratch folder.
 */
void ns_fuzz_init (void);

/* First byte: reader options (delimiter, header mode, missing markers, threads, method); rest: CSV.
 */
int ns_fuzz_csv (const guint8 *data, size_t len);
/* First byte: mode (raw bytes as a .csv.gz file, gzip-wrapped, gzip-wrapped and truncated,
 * gzip-wrapped and also as two members that must read the same) and options; through
 * ns_dataset_load on a scratch file. */
int ns_fuzz_csv_gz (const guint8 *data, size_t len);
/* First byte: axis spec and method; rest: a .npy file. */
int ns_fuzz_npy (const guint8 *data, size_t len);
/* A stats JSON document: ns_stats_from_json, and ns_stats_load on a scratch file. */
int ns_fuzz_stats_json (const guint8 *data, size_t len);
/* A .npz archive through ns_npz_import on a scratch file. */
int ns_fuzz_npz (const guint8 *data, size_t len);
/* An option value through ns_cli_parse_double, checked against strtod in the C locale. */
int ns_fuzz_cli_number (const guint8 *data, size_t len);

/* All targets, NULL-terminated. */
extern const NsFuzzTargetInfo ns_fuzz_targets[];

G_END_DECLS
