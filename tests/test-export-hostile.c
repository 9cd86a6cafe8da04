/* test-export-hostile.c: hostile strings in every string field of a stats file (column names,
 * labels, source, params, field keys) exported by `normscope-cli export` to every format stay
 * inert: tests/check-exports.py inert parses the Python and compares its AST with a clean
 * twin's, compiles the C header, and reads the JSON, CSV and npz back to the same strings.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ns-export.h"
#include "ns-stats.h"
#include "test-utils.h"

/* Code in each target language, quotes and escapes, comment ends, trigraphs, a PEP 263 coding
 * comment, shell and format syntax, controls (C0, C1, DEL), bidi overrides, line separators. */
static const char *const hostile[] = {
  "x\nimport os; os.system('echo INJECTED')\n#",
  "q\"uo'te \\ back\\\\slash \\",
  "*/ int injected; /* // ",
  "\"\"\" ''' \"\" '' \"",
  "cr\rimport sys\r\n",
  "?"
  "?/\nint trigraph; ?"
  "?= ?"
  "?' ?"
  "?(", /* split: trigraphs only in the output */
  "n\xc3\xb6n-\xe2\x9c\x93 \xe2\x80\xae\xe2\x81\xa6"
  "bidi \xf0\x9f\x98\x80",
  "$(touch /tmp/normscope-injected) `id` ${HOME}",
  "{} {0} {{ %s %n %%",
  "# -*- coding: utf-7 -*- +AAo-import os",
  "\t\a\x1b]0;title\x07\x1b[2J\x7f\xc2\x85",
  " lead, trail ",
  "\xe2\x80\xa8line\xe2\x80\xa9sep\f\v",
};

static const char *const methods[] = { "standard", "keras",  "minmax",
                                       "maxabs",   "robust", "batchnorm" };

typedef struct {
  const char *method;
  gboolean is_hostile;
} Variant;

/* The i-th string of a variant: a hostile one, or a clean one of the same role. */
static char *
variant_string (const Variant *v, const char *role, guint i)
{
  if (v->is_hostile)
    return g_strdup (hostile[i % G_N_ELEMENTS (hostile)]);
  return g_strdup_printf ("%s%u", role, i);
}

static void
add_member_double (JsonBuilder *b, const char *key, double value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_double_value (b, value);
}

static void
add_member_string (JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, value);
}

/* The numbers are the same in both variants, so their exports differ only in strings. */
static void
add_column (JsonBuilder *b, const Variant *v, guint c)
{
  g_autofree char *name = variant_string (v, "c", c);
  g_autofree char *key = variant_string (v, "f", 1);

  json_builder_begin_object (b);
  add_member_string (b, "name", name);
  add_member_double (b, "count", 3);
  add_member_double (b, "missing", 0);
  add_member_double (b, "mean", 1.5 + c);
  add_member_double (b, "variance", 2);
  add_member_double (b, "offset", 1.5 + c);
  add_member_double (b, "scale", 2);
  add_member_double (b, "min", 0);
  add_member_double (b, "max", 4 + c);
  add_member_double (b, "max_abs", 4 + c);
  add_member_double (b, key, c);
  json_builder_end_object (b);
}

static void
add_params (JsonBuilder *b, const Variant *v)
{
  g_autofree char *note = variant_string (v, "note", 0);
  g_autofree char *key = variant_string (v, "key", 1);
  g_autofree char *value = variant_string (v, "value", 2);

  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  add_member_string (b, "note", note);
  add_member_string (b, key, value);
  /* Per-channel (N, C, H, W) stats, which every format exports (torchvision needs images). */
  json_builder_set_member_name (b, "axis");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, 1);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rank");
  json_builder_add_int_value (b, 4);
  if (strcmp (v->method, "batchnorm") == 0)
    {
      add_member_string (b, "preset", "pytorch");
      add_member_double (b, "momentum", 0.1);
      add_member_string (b, "momentum_convention", "weight-of-new");
      add_member_double (b, "eps", 1e-5);
    }
  json_builder_end_object (b);
}

static void
add_source_and_labels (JsonBuilder *b, const Variant *v)
{
  g_autofree char *file = variant_string (v, "data.csv", 9);

  json_builder_set_member_name (b, "source");
  json_builder_begin_object (b);
  add_member_string (b, "file", file);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, 3);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "labels");
  json_builder_begin_array (b);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *label = variant_string (v, "label", i + 3);

      json_builder_add_string_value (b, label);
    }
  json_builder_end_array (b);
}

/* A stats file written by json-glib, not by normscope, so its escaper is not tested by itself. */
static char *
write_stats (const char *dir, const Variant *v)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *name =
    g_strdup_printf ("%s-%s.json", v->method, v->is_hostile ? "hostile" : "clean");
  char *path = g_build_filename (dir, name, NULL);

  json_builder_begin_object (b);
  add_member_string (b, "format", "normscope-stats");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  add_member_string (b, "method", v->method);
  add_params (b, v);
  add_source_and_labels (b, v);
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint c = 0; c < G_N_ELEMENTS (hostile); c++)
    add_column (b, v, c);
  json_builder_end_array (b);
  json_builder_end_object (b);
  ns_test_write_json (b, path);
  return path;
}

/* normscope-cli export STATS --format FORMAT -o OUT, as a user runs it; must succeed silently. */
static void
export_with_cli (const char *stats, const char *format, const char *out, const char *identifier)
{
  const char *argv[] = { g_getenv ("NS_CLI"),
                         "export",
                         stats,
                         "--format",
                         format,
                         "-o",
                         out,
                         identifier != NULL ? "--identifier" : NULL,
                         identifier,
                         NULL };
  g_autofree char *out_text = NULL, *err_text = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out_text,
                               &err_text, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("normscope-cli export %s --format %s failed: %s", stats, format, err_text);
  g_assert_cmpstr (err_text, ==, "");
}

/* Every format of one variant; the member "VARIANT" of case maps each format to its file. */
static void
export_variant (JsonBuilder *cases, const char *dir, const Variant *v)
{
  g_autofree char *stats = write_stats (dir, v);
  g_autoptr (NsStats) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *resaved = g_strconcat (stats, ".resaved.json", NULL);

  json_builder_set_member_name (cases, v->is_hostile ? "hostile" : "clean");
  json_builder_begin_object (cases);
  for (guint f = 0; f < NS_EXPORT_N_FORMATS; f++)
    {
      const char *format = ns_export_format_to_string (f);
      g_autofree char *out = g_strconcat (stats, ".", format, ns_export_format_extension (f), NULL);

      /* The C names come from --identifier: a hostile one must come out C-safe too. */
      export_with_cli (stats, format, out,
                       f == NS_EXPORT_C_HEADER && v->is_hostile ? "__9 n\xc3\xb6n */ id?"
                                                                  "?/"
                                                                : NULL);
      add_member_string (cases, format, out);
    }
  /* The stats file normscope writes back holds the same strings. */
  loaded = ns_stats_load (stats, &error);
  g_assert_no_error (error);
  g_assert_true (ns_stats_save (loaded, resaved, &error));
  g_assert_no_error (error);
  add_member_string (cases, "stats", resaved);
  add_member_string (cases, "input", stats);
  json_builder_end_object (cases);
}

static void
write_cases (const char *dir)
{
  g_autoptr (JsonBuilder) cases = json_builder_new ();
  g_autofree char *path = g_build_filename (dir, "cases.json", NULL);

  json_builder_begin_array (cases);
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      Variant clean = { methods[m], FALSE }, bad = { methods[m], TRUE };

      json_builder_begin_object (cases);
      add_member_string (cases, "method", methods[m]);
      export_variant (cases, dir, &clean);
      export_variant (cases, dir, &bad);
      json_builder_end_object (cases);
    }
  json_builder_end_array (cases);
  ns_test_write_json (cases, path);
}

static void
test_hostile_strings_inert (void)
{
  g_autofree char *dir = ns_test_temp_dir_new ();

  write_cases (dir);
  ns_test_run_export_check ("inert", dir);
  if (!g_test_failed ()) /* a failure leaves the files to look at */
    ns_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/hostile-strings-inert", test_hostile_strings_inert);
  return g_test_run ();
}
