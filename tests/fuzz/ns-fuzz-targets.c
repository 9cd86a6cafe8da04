/* ns-fuzz-targets.c: the parsers under fuzzing, each followed by the code that consumes its result.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-fuzz-targets.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ns-cli.h"
#include "core/ns-export.h"
#include "core/ns-npz-import.h"
#include "core/ns-json.h"
#include "core/ns-npy-private.h"
#include "core/ns-reader.h"
#include "core/ns-scaler.h"
#include "core/ns-stats.h"
#include "core/ns-summary.h"

const NsFuzzTargetInfo ns_fuzz_targets[] = {
  { "csv", ns_fuzz_csv }, { "csv-gz", ns_fuzz_csv_gz },
  { "npy", ns_fuzz_npy }, { "stats-json", ns_fuzz_stats_json },
  { "npz", ns_fuzz_npz }, { "cli-number", ns_fuzz_cli_number },
  { NULL, NULL },
};

static char *scratch_dir;
/* Values read are summed here, so the reads cannot be optimized away. */
static volatile double sink;
static locale_t c_locale;

static void
ns_fuzz_remove_scratch (void)
{
  g_autoptr (GDir) dir = g_dir_open (scratch_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (scratch_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (scratch_dir);
}

/* g_error and fatal criticals end in SIGTRAP, which libFuzzer does not catch (no crash input is
 * saved); abort instead. */
static GLogWriterOutput
ns_fuzz_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (level, fields, n_fields, data);

  /* The default handler strips G_LOG_FLAG_FATAL before it calls the writer: test the levels. */
  if (level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

void
ns_fuzz_init (void)
{
  if (scratch_dir != NULL)
    return;
  if (!g_test_initialized ())
    g_log_set_writer_func (ns_fuzz_log_writer, NULL, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* A decimal-comma locale exposes printf/strtod use where the locale must not matter. */
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    setlocale (LC_NUMERIC, "C");
  c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  /* Memory-backed when possible: truncating a file on disk costs milliseconds per input. */
  scratch_dir = g_strdup ("/dev/shm/ns-fuzz-XXXXXX");
  if (g_mkdtemp (scratch_dir) == NULL)
    {
      g_free (scratch_dir);
      scratch_dir = g_dir_make_tmp ("ns-fuzz-XXXXXX", NULL);
    }
  if (scratch_dir == NULL)
    g_error ("ns-fuzz: cannot make a scratch folder: %s", g_strerror (errno));
  atexit (ns_fuzz_remove_scratch);
}

/* Writes data to a file named name in the scratch folder and returns its path. */
static char *
ns_fuzz_scratch_file (const char *name, const void *data, size_t len)
{
  char *path = g_build_filename (scratch_dir, name, NULL);
  FILE *file = fopen (path, "wb");

  if (file == NULL || (len > 0 && fwrite (data, 1, len, file) != len) || fclose (file) != 0)
    g_error ("ns-fuzz: cannot write %s: %s", path, g_strerror (errno));
  return path;
}

static void
ns_fuzz_check_round_trip (const NsStats *stats)
{
  g_autofree char *text = ns_stats_to_json_string (stats);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) copy = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("ns-fuzz: ns_stats_to_json_string wrote invalid JSON (%s):\n%s", error->message, text);
  copy = ns_stats_from_json (json_parser_get_root (parser), "round-trip.json", &error);
  if (copy == NULL)
    g_error ("ns-fuzz: a written stats file does not read back (%s):\n%s", error->message, text);
  if (ns_stats_get_n_columns (copy) != ns_stats_get_n_columns (stats))
    g_error ("ns-fuzz: stats round trip changed the column count:\n%s", text);
  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      double a = ns_stats_get_scale (stats, c), b = ns_stats_get_scale (copy, c);
      double o = ns_stats_get_offset (stats, c), p = ns_stats_get_offset (copy, c);

      if (memcmp (&a, &b, sizeof a) != 0 && !(isnan (a) && isnan (b)))
        g_error ("ns-fuzz: stats round trip changed column %u's scale:\n%s", c, text);
      if (memcmp (&o, &p, sizeof o) != 0 && !(isnan (o) && isnan (p)))
        g_error ("ns-fuzz: stats round trip changed column %u's offset:\n%s", c, text);
    }
}

/* Reads every value and label (so ASan sees any short buffer), then summary, fit, JSON round trip
 * and transform: what `normscope-cli` does with a dataset it loaded. */
static void
ns_fuzz_consume_dataset (NsDataset *data, guint8 selector)
{
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);
  g_autoptr (GArray) summary = NULL;
  g_autoptr (NsStats) stats = NULL;
  g_autoptr (NsDataset) transformed = NULL;
  NsScalerOptions options;

  for (guint c = 0; c < ns_dataset_get_n_columns (data); c++)
    {
      g_assert_nonnull (ns_dataset_get_column_name (data, c));
      if (ns_dataset_column_is_label (data, c))
        {
          for (gsize i = 0; i < ns_dataset_get_n_samples (data); i++)
            sink += strlen (ns_dataset_get_label (data, c, i));
          continue;
        }
      for (gsize i = 0; i < n; i++)
        sink += ns_dataset_get_values (data, c)[i];
      g_assert_cmpuint (ns_dataset_get_missing (data, c), <=, n);
    }

  summary = ns_summary_compute (data, NULL, NULL);
  ns_scaler_options_init (&options, (NsMethod) (selector % 5));
  options.n_threads = 1;
  stats = ns_scaler_fit (data, &options, NULL, NULL);
  if (stats == NULL)
    return;
  ns_fuzz_check_round_trip (stats);
  transformed = ns_stats_transform (stats, data, (selector & 0x8) != 0, NULL);
}

static void
ns_fuzz_csv_options (guint8 selector, NsReadOptions *options)
{
  static const char delimiters[] = { 0, ',', ';', '\t', ' ', '|', 0, ',' };
  static const char *missing[] = { "-", "", "#N/A", NULL };

  ns_read_options_init (options);
  options->delimiter = delimiters[selector & 0x7];
  options->header = (NsHeaderMode) (((selector >> 3) & 0x3) % 3);
  options->extra_missing = (selector & 0x20) != 0 ? (char **) missing : NULL;
  options->n_threads = (selector & 0x40) != 0 ? 2 : 1;
  /* Sniffed, or a decimal comma forced: both number paths, and the clash with a ',' delimiter. */
  options->decimal = (selector & 0x80) != 0 ? ',' : 0;
}

int
ns_fuzz_csv (const guint8 *data, size_t len)
{
  NsReadOptions options;
  g_autoptr (NsDataset) dataset = NULL;
  g_autoptr (GError) error = NULL;

  ns_fuzz_init ();
  if (len < 1)
    return 0;
  ns_fuzz_csv_options (data[0], &options);
  dataset = ns_csv_read ("fuzz.csv", (const char *) data + 1, len - 1, &options, NULL, &error);
  if (dataset == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_null (error);
  ns_fuzz_consume_dataset (dataset, data[0] >> 4);
  return 0;
}

static GBytes *
ns_fuzz_gzip (const guint8 *data, size_t len)
{
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr (GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) stream =
    g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  if (!g_output_stream_write_all (stream, data, len, NULL, NULL, NULL) ||
      !g_output_stream_close (stream, NULL, NULL))
    g_error ("ns-fuzz: gzip compression failed");
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* gzip of data[0..len) as two members, cut at split. */
static GBytes *
ns_fuzz_gzip_two_members (const guint8 *data, size_t len, size_t split)
{
  g_autoptr (GBytes) first = ns_fuzz_gzip (data, split);
  g_autoptr (GBytes) second = ns_fuzz_gzip (data + split, len - split);
  GByteArray *both = g_bytes_unref_to_array (g_steal_pointer (&first));
  gsize n;
  const guint8 *bytes = g_bytes_get_data (second, &n);

  g_byte_array_append (both, bytes, n);
  return g_byte_array_free_to_bytes (both);
}

static NsDataset *
ns_fuzz_load_gz (GBytes *gz, gsize n_bytes, guint8 flags, GError **error)
{
  NsReadOptions options;
  g_autofree char *path =
    ns_fuzz_scratch_file ("fuzz.csv.gz", g_bytes_get_data (gz, NULL), n_bytes);

  ns_fuzz_csv_options (flags >> 2, &options);
  return ns_dataset_load (path, &options, NULL, error);
}

/* Two members read as the one member of the same bytes: the same dataset or the same message. */
static void
ns_fuzz_check_two_members (const guint8 *data, size_t len, const NsDataset *whole,
                           const GError *whole_error)
{
  g_autoptr (GBytes) gz =
    ns_fuzz_gzip_two_members (data + 1, len - 1, (len - 1) * (data[0] >> 2) / 64);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) dataset = ns_fuzz_load_gz (gz, g_bytes_get_size (gz), data[0], &error);

  g_assert_true ((dataset == NULL) == (whole == NULL));
  if (dataset == NULL)
    g_assert_cmpstr (error->message, ==, whole_error->message);
  else
    {
      g_assert_cmpuint (ns_dataset_get_n_samples (dataset), ==, ns_dataset_get_n_samples (whole));
      g_assert_cmpuint (ns_dataset_get_n_columns (dataset), ==, ns_dataset_get_n_columns (whole));
    }
}

int
ns_fuzz_csv_gz (const guint8 *data, size_t len)
{
  g_autoptr (NsDataset) dataset = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) gz = NULL;
  gsize n_bytes;
  guint mode;

  ns_fuzz_init ();
  if (len < 1)
    return 0;
  /* Mode 0: the bytes are the file; 1: gzip of the bytes; 2: that gzip cut short; 3: gzip of the
   * bytes, also as two members, which must read the same. */
  mode = data[0] & 0x3;
  gz = mode == 0 ? g_bytes_new (data + 1, len - 1) : ns_fuzz_gzip (data + 1, len - 1);
  n_bytes = g_bytes_get_size (gz);
  if (mode == 2 && n_bytes > 0)
    n_bytes = (n_bytes * (data[0] >> 2)) / 64;
  dataset = ns_fuzz_load_gz (gz, n_bytes, data[0], &error);
  if (mode == 3)
    ns_fuzz_check_two_members (data, len, dataset, error);
  if (dataset == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_nonnull (ns_dataset_get_source_sha256 (dataset));
  ns_fuzz_consume_dataset (dataset, data[0] >> 3);
  return 0;
}

/* The in-place moments (fit of a .npy) fail exactly when the loader fails, with its message, and
 * otherwise equal the loaded columns' moments bit for bit, on two threads. */
static void
ns_fuzz_npy_moments (const guint8 *data, size_t len, const NsReadOptions *options,
                     const NsDataset *dataset, const GError *load_error)
{
  g_autoptr (NsPartial) partial = NULL;
  g_autoptr (GError) error = NULL;
  NsScalerOptions scaler;
  guint64 n_samples;

  ns_scaler_options_init (&scaler, NS_METHOD_STANDARD);
  partial = ns_npy_read_partial ("fuzz.npy", data, len, options, &scaler, FALSE, 2, -1, &n_samples,
                                 NULL, &error);
  g_assert_true ((partial == NULL) == (dataset == NULL));
  if (dataset == NULL)
    {
      g_assert_cmpstr (error->message, ==, load_error->message);
      return;
    }
  g_assert_cmpuint (ns_partial_get_n_columns (partial), ==, ns_dataset_get_n_columns (dataset));
  g_assert_cmpuint (n_samples, ==, ns_dataset_get_n_samples (dataset));
  for (guint f = 0; f < ns_dataset_get_n_columns (dataset); f++)
    {
      NsMoments whole;

      ns_moments_init (&whole);
      ns_moments_add (&whole, ns_dataset_get_values (dataset, f),
                      ns_dataset_get_n_samples (dataset) * ns_dataset_get_spatial_size (dataset),
                      1);
      g_assert_true (memcmp (&whole, ns_partial_peek_moments (partial, f), sizeof whole) == 0);
    }
}

int
ns_fuzz_npy (const guint8 *data, size_t len)
{
  static const char *axes[] = { NULL,   "-1", "1",     "1,2",  "none", "2", "-2", "0",
                                "1,-1", "3",  "1,2,3", "-1,1", "5",    "x", "",   "2,1" };
  NsReadOptions options;
  g_autoptr (NsDataset) dataset = NULL;
  g_autoptr (GError) error = NULL;

  ns_fuzz_init ();
  if (len < 1)
    return 0;
  ns_read_options_init (&options);
  options.axis = axes[data[0] & 0xf];
  options.n_threads = 1;
  dataset = ns_npy_read ("fuzz.npy", data + 1, len - 1, &options, NULL, &error);
  ns_fuzz_npy_moments (data + 1, len - 1, &options, dataset, error);
  if (dataset == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  ns_fuzz_consume_dataset (dataset, data[0] >> 4);
  return 0;
}

static void
ns_fuzz_consume_stats (NsStats *stats)
{

  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      const char *name = ns_stats_get_name (stats, c);

      sink += name != NULL ? strlen (name) : 0;
      sink += ns_stats_get_offset (stats, c) + ns_stats_get_scale (stats, c);
      for (guint f = 0; f < ns_stats_get_n_fields (stats, c); f++)
        sink +=
          strlen (ns_stats_get_field_key (stats, c, f)) + ns_stats_get_field_value (stats, c, f);
    }
  ns_fuzz_check_round_trip (stats);
}

int
ns_fuzz_stats_json (const guint8 *data, size_t len)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (NsStats) stats = NULL;
  g_autoptr (NsStats) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  ns_fuzz_init ();
  /* As every reader does, so that deep nesting cannot overflow json-glib's stack. */
  if (ns_json_check_text ("fuzz.json", (const char *) data, len, NULL) &&
      json_parser_load_from_data (parser, (const char *) data, (gssize) len, NULL) &&
      json_parser_get_root (parser) != NULL)
    {
      stats = ns_stats_from_json (json_parser_get_root (parser), "fuzz.json", &error);
      if (stats != NULL)
        ns_fuzz_consume_stats (stats);
      else
        g_assert_nonnull (error);
      g_clear_error (&error);
    }
  path = ns_fuzz_scratch_file ("fuzz.json", data, len);
  loaded = ns_stats_load (path, &error);
  if (loaded != NULL)
    ns_fuzz_consume_stats (loaded);
  else
    g_assert_nonnull (error);
  return 0;
}

int
ns_fuzz_npz (const guint8 *data, size_t len)
{
  g_autoptr (NsStats) stats = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  ns_fuzz_init ();
  path = ns_fuzz_scratch_file ("fuzz.npz", data, len);
  stats = ns_npz_import (path, &error);
  if (stats == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  ns_fuzz_consume_stats (stats);
  return 0;
}

static gboolean
ns_fuzz_same_double (double a, double b)
{
  return memcmp (&a, &b, sizeof a) == 0 || (isnan (a) && isnan (b));
}

int
ns_fuzz_cli_number (const guint8 *data, size_t len)
{
  g_autofree char *text = g_strndup ((const char *) data, len);
  g_autofree char *stripped = NULL;
  g_autoptr (GError) error = NULL;
  double value, reference;
  char *end;

  ns_fuzz_init ();
  /* The raw parser on the bytes themselves: an embedded NUL is never part of a number. */
  if (ns_parse_double ((const char *) data, len, &value) && memchr (data, '\0', len) != NULL)
    g_error ("ns-fuzz: ns_parse_double accepted a NUL byte in %zu bytes", len);
  if (strlen (text) != len)
    return 0;
  if (!ns_cli_parse_double ("--fuzz", text, &value, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "--fuzz"));
      return 0;
    }
  /* Whatever it accepts must be exactly what strtod in the C locale reads. */
  stripped = g_strstrip (g_strdup (text));
  errno = 0;
  reference = strtod_l (stripped, &end, c_locale);
  if (*end != '\0' || !ns_fuzz_same_double (value, reference))
    g_error (
      "ns-fuzz: ns_cli_parse_double read '%s' as %.17g, strtod as %.17g (stopped at byte %td)",
      text, value, reference, end - stripped);
  return 0;
}
