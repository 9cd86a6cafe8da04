/* test-stats.c: the NsStats container and its JSON stats file (exact doubles, validation).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <float.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ns-batchnorm.h"
#include "ns-output.h"
#include "ns-scaler.h"
#include "ns-stats.h"
#include "test-utils.h"

static void
assert_same_bits (double a, double b)
{
  if (memcmp (&a, &b, sizeof a) != 0)
    g_error ("doubles differ: %.17g vs %.17g", a, b);
}

static NsStats *
make_small_stats (void)
{
  NsStats *stats = ns_stats_new ("standard", 2);
  const char *labels[] = { "species", NULL };

  ns_stats_set_column (stats, 0, "a", 9, 0, 10.0 / 3, 44.0 / 9, 10.0 / 3, 2.5);
  ns_stats_set_column (stats, 1, "b", 8, 1, -2, 4, -2, 2);
  ns_stats_set_field (stats, 0, "std", 2.2);
  ns_stats_set_field (stats, 0, "n_samples_seen", 9);
  ns_stats_set_label_names (stats, labels);
  json_object_set_boolean_member (ns_stats_get_params (stats), "with_mean", TRUE);
  ns_stats_set_source (stats, "train.csv", 9, "abc123");
  return stats;
}

static void
test_container (void)
{
  g_autoptr (NsStats) stats = make_small_stats ();
  double value = 0;

  g_assert_cmpstr (ns_stats_get_method (stats), ==, "standard");
  g_assert_cmpuint (ns_stats_get_n_columns (stats), ==, 2);
  g_assert_cmpstr (ns_stats_get_name (stats, 1), ==, "b");
  g_assert_cmpfloat (ns_stats_get_missing (stats, 1), ==, 1);
  g_assert_cmpfloat (ns_stats_get_offset (stats, 1), ==, -2);
  ns_stats_set_offset_scale (stats, 1, 5, 7);
  g_assert_cmpfloat (ns_stats_get_offset (stats, 1), ==, 5);
  g_assert_cmpfloat (ns_stats_get_scale (stats, 1), ==, 7);
  g_assert_cmpfloat (ns_stats_get_mean (stats, 1), ==, -2);

  /* Fields keep insertion order; setting again replaces in place. */
  ns_stats_set_field (stats, 0, "std", 3.5);
  g_assert_cmpuint (ns_stats_get_n_fields (stats, 0), ==, 2);
  g_assert_cmpstr (ns_stats_get_field_key (stats, 0, 0), ==, "std");
  g_assert_cmpfloat (ns_stats_get_field_value (stats, 0, 0), ==, 3.5);
  g_assert_true (ns_stats_get_field (stats, 0, "n_samples_seen", &value));
  g_assert_cmpfloat (value, ==, 9);
  g_assert_false (ns_stats_get_field (stats, 1, "std", &value));
  g_assert_cmpuint (ns_stats_get_n_fields (stats, 1), ==, 0);

  g_assert_cmpstr (ns_stats_get_label_names (stats)[0], ==, "species");
  g_assert_null (ns_stats_get_label_names (stats)[1]);
  g_assert_cmpfloat (ns_stats_get_param_double (stats, "with_mean", -1), ==, 1);
  g_assert_cmpfloat (ns_stats_get_param_double (stats, "absent", -1), ==, -1);
  g_assert_cmpstr (ns_stats_get_source_file (stats), ==, "train.csv");
  g_assert_cmpuint (ns_stats_get_source_rows (stats), ==, 9);
  g_assert_cmpstr (ns_stats_get_source_sha256 (stats), ==, "abc123");

  /* A fresh container is the identity transform with no labels. */
  {
    g_autoptr (NsStats) empty = ns_stats_new ("keras", 3);

    g_assert_cmpstr (ns_stats_get_name (empty, 2), ==, "channel_2");
    g_assert_cmpfloat (ns_stats_get_offset (empty, 2), ==, 0);
    g_assert_cmpfloat (ns_stats_get_scale (empty, 2), ==, 1);
    g_assert_null (ns_stats_get_label_names (empty)[0]);
    g_assert_null (ns_stats_get_source_file (empty));
  }
}

static void
test_json_layout (void)
{
  g_autoptr (NsStats) stats = make_small_stats ();
  g_autofree char *text = NULL;
  const char *expected = "{\n"
                         "  \"format\": \"normscope-stats\",\n"
                         "  \"version\": 1,\n"
                         "  \"method\": \"standard\",\n"
                         "  \"params\": {\n"
                         "    \"with_mean\": true\n"
                         "  },\n"
                         "  \"source\": {\n"
                         "    \"file\": \"train.csv\",\n"
                         "    \"rows\": 9,\n"
                         "    \"sha256\": \"abc123\"\n"
                         "  },\n"
                         "  \"num_batches_tracked\": 3,\n"
                         "  \"labels\": [\"species\"],\n"
                         "  \"columns\": [\n"
                         "    {\n"
                         "      \"name\": \"a\",\n"
                         "      \"count\": 9,\n"
                         "      \"missing\": 0,\n"
                         "      \"mean\": 3.33333333333333,\n"
                         "      \"variance\": 4.88888888888889,\n"
                         "      \"offset\": 3.33333333333333,\n"
                         "      \"scale\": 2.5,\n"
                         "      \"std\": 2.2,\n"
                         "      \"n_samples_seen\": 9\n"
                         "    },\n"
                         "    {\n"
                         "      \"name\": \"b\",\n"
                         "      \"count\": 8,\n"
                         "      \"missing\": 1,\n"
                         "      \"mean\": null,\n"
                         "      \"variance\": 1e999,\n"
                         "      \"offset\": -0.0,\n"
                         "      \"scale\": 1e+308\n"
                         "    }\n"
                         "  ]\n"
                         "}\n";

  json_object_set_int_member (ns_stats_get_extra (stats), "num_batches_tracked", 3);
  /* 10/3 needs 16 digits to read back; set values whose shortest form is short instead. */
  ns_stats_set_column (stats, 0, "a", 9, 0, 3.33333333333333, 4.88888888888889, 3.33333333333333,
                       2.5);
  ns_stats_set_column (stats, 1, "b", 8, 1, NAN, INFINITY, -0.0, 1e308);
  text = ns_stats_to_json_string (stats);
  g_assert_cmpstr (text, ==, expected);
}

/* A stats file of many columns is written in pieces as it is made: the file equals the text,
 * and reads back (names that need escaping included). */
static void
test_json_many_columns (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "wide.json", NULL);
  g_autoptr (NsStats) stats = ns_stats_new ("standard", 5000);
  g_autoptr (NsStats) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *saved = NULL;
  const char *labels[] = { NULL };

  for (guint c = 0; c < 5000; c++)
    {
      g_autofree char *name = g_strdup_printf (c % 7 ? "c%u" : "c \"%u\"\t", c);

      ns_stats_set_column (stats, c, name, 3, 0, c / 3.0, 1e-300 * c, c / 3.0, 1);
      ns_stats_set_field (stats, c, "std", 0.1 * c);
    }
  ns_stats_set_label_names (stats, labels);
  ns_stats_set_source (stats, "wide.csv", 3, "abc123");
  text = ns_stats_to_json_string (stats);
  g_assert_cmpuint (strlen (text), >, 4 * 65536);
  g_assert_true (ns_stats_save (stats, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_cmpstr (saved, ==, text);
  back = ns_stats_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_stats_get_n_columns (back), ==, 5000);
  g_assert_cmpstr (ns_stats_get_name (back, 4998), ==, "c \"4998\"\t");
  assert_same_bits (ns_stats_get_variance (back, 4999), 1e-300 * 4999);
}

static double
random_double (GRand *rand)
{
  for (;;)
    {
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      double value;

      /* Every third value is subnormal or tiny, to cover the hard cases for parsers. */
      if (g_rand_int_range (rand, 0, 3) == 0)
        bits &=
          G_GUINT64_CONSTANT (0x800fffffffffffff) | ((guint64) g_rand_int_range (rand, 0, 3) << 52);
      memcpy (&value, &bits, sizeof value);
      if (isfinite (value))
        return value;
    }
}

static void
test_json_round_trip (void)
{
  static const double specials[] = {
    -0.0,
    0.0,
    1e308,
    -1e308,
    DBL_MAX,
    DBL_MIN,
    4.9406564584124654e-324,
    2.2250738585072009e-308,
    0.1 + 0.2,
    0.1,
    1e22,
    1e23,
    9007199254740993.0,
    12345678901234567890.0,
    123456789012345678.0,
    1.0 / 3,
    5e-324,
    1e-310,
    100,
    -7,
    0.5,
    2.5e-310,
    1.7976931348623157e308,
  };
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "stats.json", NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  guint n_columns = 2000;
  g_autoptr (NsStats) stats = ns_stats_new ("standard", n_columns);
  g_autoptr (NsStats) back = NULL;
  g_autoptr (GError) error = NULL;

  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *name = g_strdup_printf ("f%u \"quoted\" \\ é", c);
      double special = specials[c % G_N_ELEMENTS (specials)];
      double offset = c < G_N_ELEMENTS (specials) ? special : random_double (rand);
      double scale = fabs (c < G_N_ELEMENTS (specials) ? special : random_double (rand));

      ns_stats_set_column (stats, c, name, c, c % 3, random_double (rand),
                           c % 7 == 0 ? NAN : random_double (rand), offset,
                           scale > 0 ? scale : 1.0);
      ns_stats_set_field (stats, c, "special", special);
      ns_stats_set_field (stats, c, "random", random_double (rand));
      ns_stats_set_field (stats, c, "infinite", c % 2 ? INFINITY : -INFINITY);
    }
  g_assert_true (ns_stats_save (stats, path, &error));
  g_assert_no_error (error);
  back = ns_stats_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpuint (ns_stats_get_n_columns (back), ==, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      g_assert_cmpstr (ns_stats_get_name (back, c), ==, ns_stats_get_name (stats, c));
      assert_same_bits (ns_stats_get_count (back, c), ns_stats_get_count (stats, c));
      assert_same_bits (ns_stats_get_missing (back, c), ns_stats_get_missing (stats, c));
      assert_same_bits (ns_stats_get_mean (back, c), ns_stats_get_mean (stats, c));
      if (isnan (ns_stats_get_variance (stats, c)))
        g_assert_true (isnan (ns_stats_get_variance (back, c)));
      else
        assert_same_bits (ns_stats_get_variance (back, c), ns_stats_get_variance (stats, c));
      assert_same_bits (ns_stats_get_offset (back, c), ns_stats_get_offset (stats, c));
      assert_same_bits (ns_stats_get_scale (back, c), ns_stats_get_scale (stats, c));
      g_assert_cmpuint (ns_stats_get_n_fields (back, c), ==, 3);
      for (guint i = 0; i < 3; i++)
        {
          g_assert_cmpstr (ns_stats_get_field_key (back, c, i), ==,
                           ns_stats_get_field_key (stats, c, i));
          assert_same_bits (ns_stats_get_field_value (back, c, i),
                            ns_stats_get_field_value (stats, c, i));
        }
    }
}

/* A quantile fit's per-column arrays and its references grid read back bit for bit, and a file
 * whose quantiles break their order is refused. */
static void
test_json_arrays_round_trip (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "quantile.json", NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  static const double references[] = { 0.0, 1.0 / 3, 2.0 / 3, 1.0 };
  g_autoptr (NsStats) stats = ns_stats_new ("quantile", 3);
  g_autoptr (NsStats) back = NULL;
  g_autoptr (GError) error = NULL;

  json_object_set_string_member (ns_stats_get_params (stats), "output_distribution", "normal");
  ns_stats_set_references (stats, references, G_N_ELEMENTS (references));
  for (guint c = 0; c < 3; c++)
    {
      double quantiles[4];
      g_autofree char *name = g_strdup_printf ("q%u", c);

      quantiles[0] = -fabs (random_double (rand));
      for (guint i = 1; i < 4; i++)
        quantiles[i] = quantiles[i - 1] + fabs (random_double (rand));
      ns_stats_set_column (stats, c, name, 10, 0, 1, 2, 0, 1);
      ns_stats_set_array (stats, c, "quantiles", quantiles, 4);
    }
  g_assert_true (ns_stats_save (stats, path, &error));
  g_assert_no_error (error);
  back = ns_stats_load (path, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < 3; c++)
    {
      gsize n, m;
      const double *got = ns_stats_get_array (back, c, "quantiles", &n);
      const double *want = ns_stats_get_array (stats, c, "quantiles", &m);

      g_assert_cmpuint (n, ==, m);
      for (gsize i = 0; i < n; i++)
        assert_same_bits (got[i], want[i]);
    }
  {
    gsize n;
    const double *got = ns_stats_get_references (back, &n);

    g_assert_cmpuint (n, ==, G_N_ELEMENTS (references));
    for (gsize i = 0; i < n; i++)
      assert_same_bits (got[i], references[i]);
  }
  {
    double unordered[4] = { 0, 2, 1, 3 };

    ns_stats_set_array (stats, 1, "quantiles", unordered, 4);
    g_assert_false (ns_stats_save (stats, path, &error));
    g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
    g_assert_nonnull (
      strstr (error->message, "column 1 ('q1'): quantiles: expected 4 finite numbers"));
  }
}

static void
test_json_metadata_round_trip (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "meta.json", NULL);
  g_autoptr (NsStats) stats = make_small_stats ();
  g_autoptr (NsStats) back = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *params = ns_stats_get_params (stats);
  JsonArray *shape = json_array_new ();
  JsonNode *node;

  json_array_add_int_element (shape, 10);
  json_array_add_int_element (shape, 2);
  json_object_set_array_member (params, "shape", shape);
  json_object_set_array_member (params, "axis", json_array_new ());
  json_array_add_int_element (json_object_get_array_member (params, "axis"), 1);
  json_object_set_double_member (params, "momentum", 0.1);
  json_object_set_string_member (params, "epsilon", "inf");
  json_object_set_int_member (ns_stats_get_extra (stats), "num_batches_tracked", 3);
  g_assert_true (ns_stats_save (stats, path, &error));
  g_assert_no_error (error);
  back = ns_stats_load (path, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (ns_stats_get_method (back), ==, "standard");
  g_assert_cmpstr (ns_stats_get_label_names (back)[0], ==, "species");
  g_assert_cmpstr (ns_stats_get_source_file (back), ==, "train.csv");
  g_assert_cmpuint (ns_stats_get_source_rows (back), ==, 9);
  g_assert_cmpstr (ns_stats_get_source_sha256 (back), ==, "abc123");
  g_assert_cmpfloat (ns_stats_get_param_double (back, "momentum", 0), ==, 0.1);
  g_assert_cmpfloat (ns_stats_get_param_double (back, "epsilon", 0), ==, INFINITY);
  g_assert_true (json_object_get_boolean_member (ns_stats_get_params (back), "with_mean"));
  node = json_object_get_member (ns_stats_get_extra (back), "num_batches_tracked");
  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_int (node), ==, 3);
  g_assert_false (json_object_has_member (ns_stats_get_extra (back), "columns"));
  g_assert_cmpstr (ns_stats_get_field_key (back, 0, 1), ==, "n_samples_seen");

  /* No source file or hash: written as null and read back as NULL. */
  ns_stats_set_source (stats, NULL, 4, NULL);
  g_assert_true (ns_stats_save (stats, path, &error));
  g_clear_pointer (&back, ns_stats_free);
  back = ns_stats_load (path, &error);
  g_assert_no_error (error);
  g_assert_null (ns_stats_get_source_file (back));
  g_assert_null (ns_stats_get_source_sha256 (back));
  g_assert_cmpuint (ns_stats_get_source_rows (back), ==, 4);
}

/* NaN is written as null and ±inf as ±1e999; the strings "nan", "inf", "-inf" that version 1
 * wrote before still read, as the same values. */
static void
test_json_non_finite_spellings (void)
{
  static const char *const spellings[][3] = {
    { "null", "1e999", "-1e999" },
    { "\"nan\"", "\"inf\"", "\"-inf\"" },
  };
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "stats.json", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "{\"format\": \"normscope-stats\", \"version\": 1, \"method\": \"standard\", "
        "\"params\": {}, \"source\": {\"file\": null, \"rows\": 1, \"sha256\": null}, "
        "\"labels\": [], \"columns\": [{\"name\": \"a\", \"count\": 1, \"missing\": 0, "
        "\"mean\": %s, \"variance\": %s, \"offset\": 0, \"scale\": 1, \"low\": %s}]}",
        spellings[i][0], spellings[i][1], spellings[i][2]);
      g_autoptr (NsStats) back = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *written = NULL;

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      back = ns_stats_load (path, &error);
      g_assert_no_error (error);
      g_assert_true (isnan (ns_stats_get_mean (back, 0)));
      g_assert_cmpfloat (ns_stats_get_variance (back, 0), ==, INFINITY);
      g_assert_cmpfloat (ns_stats_get_field_value (back, 0, 0), ==, -INFINITY);
      written = ns_stats_to_json_string (back);
      g_assert_nonnull (strstr (written, "\"mean\": null,\n"));
      g_assert_nonnull (strstr (written, "\"variance\": 1e999,\n"));
      g_assert_nonnull (strstr (written, "\"low\": -1e999\n"));
    }
}

typedef struct {
  const char *replace_from; /* text of the good file to replace (NULL: use text as is) */
  const char *replace_to;
  const char *message;
} BadCase;

static const char *good_file =
  "{\"format\": \"normscope-stats\", \"version\": 1, \"method\": \"standard\", \"params\": {},\n"
  " \"source\": {\"file\": \"t.csv\", \"rows\": 3, \"sha256\": null}, \"labels\": [\"kind\"],\n"
  " \"columns\": [\n"
  "  {\"name\": \"a\", \"count\": 3, \"missing\": 0, \"mean\": 1, \"variance\": 2, "
  "\"offset\": 1, \"scale\": 2},\n"
  "  {\"name\": \"b\", \"count\": 3, \"missing\": 0, \"mean\": 1, \"variance\": 2, "
  "\"offset\": 1, \"scale\": 2},\n"
  "  {\"name\": \"c\", \"count\": 3, \"missing\": 0, \"mean\": 1, \"variance\": 2, "
  "\"offset\": 1, \"scale\": 2, \"min\": 0}\n"
  " ]}\n";

#define METHODS \
  "standard, keras, minmax, maxabs, robust, yeo-johnson, box-cox, quantile, normalizer " \
  "or batchnorm"

static void
test_json_errors (void)
{
  static const BadCase cases[] = {
    { "\"scale\": 2, \"min\"", "\"scale\": 0, \"min\"",
      "stats.json: columns[2].scale: expected a positive finite number, found 0" },
    { "\"scale\": 2, \"min\"", "\"scale\": \"nan\", \"min\"",
      "stats.json: columns[2].scale: expected a positive finite number, found 'nan'" },
    { "\"scale\": 2, \"min\"", "\"scale\": -1.5, \"min\"",
      "stats.json: columns[2].scale: expected a positive finite number, found -1.5" },
    { "\"scale\": 2, \"min\"", "\"scale\": \"inf\", \"min\"",
      "stats.json: columns[2].scale: expected a positive finite number, found 'inf'" },
    { "\"scale\": 2, \"min\": 0", "\"scale\": 2, \"min\": [0]",
      "stats.json: columns[2].min: expected a number or null, "
      "found an array" },
    { "\"name\": \"b\", \"count\": 3, \"missing\": 0, \"mean\": 1,",
      "\"name\": \"b\", \"count\": 3, \"missing\": 0,",
      "stats.json: columns[1].mean: expected a number or null, "
      "found nothing (the key is missing)" },
    { "\"name\": \"b\", \"count\": 3", "\"name\": \"b\", \"count\": -3",
      "stats.json: columns[1].count: expected a non-negative finite number, found -3" },
    { "\"name\": \"b\"", "\"name\": 7", "stats.json: columns[1].name: expected a string, found 7" },
    { "\"name\": \"b\"", "\"name\": \"a\"",
      "stats.json: columns[1].name: expected a name not used before, found 'a' again" },
    { "\"mean\": 1, \"variance\": 2, \"offset\": 1, \"scale\": 2, \"min\"",
      "\"mean\": 1, \"variance\": 2, \"offset\": \"-inf\", \"scale\": 2, \"min\"",
      "stats.json: columns[2].offset: expected a finite number, found '-inf'" },
    { "\"normscope-stats\"", "\"other-stats\"",
      "stats.json: format: expected \"normscope-stats\", found 'other-stats'" },
    { "\"format\": \"normscope-stats\", ", "",
      "stats.json: format: expected \"normscope-stats\", found nothing (the key is missing)" },
    { "\"version\": 1", "\"version\": 2",
      "stats.json: version: this normscope reads version 1 stats files, found version 2" },
    { "\"version\": 1", "\"version\": \"1\"",
      "stats.json: version: expected an integer, found '1'" },
    { "\"method\": \"standard\"", "\"method\": null",
      "stats.json: method: expected " METHODS ", found null" },
    /* Enum-like strings are known names: a newline would carry code into the exported snippets. */
    { "\"method\": \"standard\"", "\"method\": \"x\\nimport os; os.system('id')\\n#\"",
      "stats.json: method: expected " METHODS ", found a string with a control character "
      "(U+000A at byte 1)" },
    { "\"method\": \"standard\"", "\"method\": \"standard\\u0085\"",
      "stats.json: method: expected " METHODS ", found a string with a control character "
      "(U+0085 at byte 8)" },
    { "\"method\": \"standard\"", "\"method\": \"standard\\ud800x\"",
      "stats.json: method: expected UTF-8 text, found a byte that starts no character at byte 8 "
      "(a \\u escape of a lone UTF-16 surrogate, such as \\ud800?)" },
    { "\"method\": \"standard\"", "\"method\": \"Standard\"",
      "stats.json: method: expected " METHODS ", found 'Standard'" },
    { "\"method\": \"standard\"", "\"method\": \"\"",
      "stats.json: method: expected " METHODS ", found ''" },
    { "\"params\": {}", "\"params\": {\"preset\": \"torch\"}",
      "stats.json: params.preset: expected pytorch, keras, keras-fused or flax, found 'torch'" },
    { "\"params\": {}", "\"params\": {\"momentum_convention\": \"weight-of-new\\r\"}",
      "stats.json: params.momentum_convention: expected weight-of-new or weight-of-old, found a "
      "string with a control character (U+000D at byte 13)" },
    { "\"params\": {}", "\"params\": {\"running_var_estimator\": 1}",
      "stats.json: params.running_var_estimator: expected unbiased or biased, found 1" },
    { "\"params\": {}", "\"params\": {\"dtype\": \"f16\"}",
      "stats.json: params.dtype: expected f64 or f32, found 'f16'" },
    { "\"params\": {}", "\"params\": {\"averages\": [\"ema\", \"window:10\", \"window:\"]}",
      "stats.json: params.averages[2]: expected ema, ema-debiased, cumulative, warmup, window:N or "
      "exact, found 'window:'" },
    { "\"params\": {}", "\"params\": {\"imported_from\": \"npz\\u001b]0;x\\u0007\"}",
      "stats.json: params.imported_from: expected npz, found a string with a control character "
      "(U+001B at byte 3)" },
    /* json-glib reads "\ud800" as bytes that are no UTF-8, and ends a string at "\u0000". */
    { "\"name\": \"b\"", "\"name\": \"b\\ud800c\"",
      "stats.json: columns[1].name: expected UTF-8 text, found a byte that starts no character at "
      "byte 1 (a \\u escape of a lone UTF-16 surrogate, such as \\ud800?)" },
    { "\"labels\": [\"kind\"]", "\"labels\": [\"\\ud800kind\"]",
      "stats.json: labels[0]: expected UTF-8 text, found a byte that starts no character at "
      "byte 0 (a \\u escape of a lone UTF-16 surrogate, such as \\ud800?)" },
    { "\"t.csv\"", "\"t\\udbff.csv\"",
      "stats.json: source.file: expected UTF-8 text, found a byte that starts no character at "
      "byte 1 (a \\u escape of a lone UTF-16 surrogate, such as \\ud800?)" },
    { "\"name\": \"b\"", "\"name\": \"b\\u0000c\"",
      "stats.json: byte 278: expected a string without NUL characters, found \\u0000 (JSON "
      "readers cut the text there)" },
    /* An escaped backslash before "u0000" is text, not a NUL: the reader gets that far. */
    { "\"name\": \"b\", \"count\": 3", "\"name\": \"b\\\\u0000c\", \"count\": -1",
      "stats.json: columns[1].count: expected a non-negative finite number, found -1" },
    { "\"params\": {}", "\"params\": []",
      "stats.json: params: expected an object, found an array" },
    { "\"rows\": 3", "\"rows\": 3.5",
      "stats.json: source.rows: expected a non-negative integer, found 3.5" },
    { "\"source\": {", "\"sources\": {",
      "stats.json: source: expected an object, found nothing (the key is missing)" },
    { "\"labels\": [\"kind\"]", "\"labels\": [true]",
      "stats.json: labels[0]: expected a string, found true" },
    { "\"columns\": [", "\"columns\": {\"x\": [",
      "stats.json:7:3: unexpected character `}', expected string constant" },
    { "\"params\": {}", "\"params\": {\"shape\": [10, 4], \"axis\": [1]}",
      "stats.json: columns: expected 4 columns (the kept axes of params.shape), found 3" },
    { "\"params\": {}", "\"params\": {\"shape\": [10, 4], \"axis\": [2]}",
      "stats.json: params.axis[0]: expected an axis of params.shape, found 2" },
  };
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "stats.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = NULL;
  g_autofree char *cwd = g_get_current_dir ();

  g_assert_cmpint (g_chdir (dir), ==, 0);
  g_assert_true (g_file_set_contents ("stats.json", good_file, -1, NULL));
  stats = ns_stats_load ("stats.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_stats_get_n_columns (stats), ==, 3);
  g_clear_pointer (&stats, ns_stats_free);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) text = g_string_new (good_file);

      g_assert_cmpuint (g_string_replace (text, cases[i].replace_from, cases[i].replace_to, 1), ==,
                        1);
      g_assert_true (g_file_set_contents ("stats.json", text->str, -1, NULL));
      stats = ns_stats_load ("stats.json", &error);
      g_assert_null (stats);
      int code =
        g_str_has_suffix (cases[i].message, "version 2") ? NS_ERROR_UNSUPPORTED : NS_ERROR_PARSE;

      g_assert_error (error, NS_ERROR, code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
    }

  g_assert_true (g_file_set_contents ("stats.json", "", 0, NULL));
  g_assert_null (ns_stats_load ("stats.json", &error));
  g_assert_cmpstr (error->message, ==,
                   "stats.json: the file is empty; expected a normscope stats file (JSON)");
  g_clear_error (&error);

  g_assert_true (g_file_set_contents ("stats.json", "[1, 2]", -1, NULL));
  g_assert_null (ns_stats_load ("stats.json", &error));
  g_assert_cmpstr (error->message, ==,
                   "stats.json: (top level): expected an object, found an array");
  g_clear_error (&error);

  g_assert_true (g_file_set_contents ("stats.json", "{\"a\": 1}\0garbage", 17, NULL));
  g_assert_null (ns_stats_load ("stats.json", &error));
  g_assert_cmpstr (
    error->message, ==,
    "stats.json: byte 8: expected a normscope stats file (JSON text) or a NumPy .npz, "
    "found a binary file");
  g_clear_error (&error);

  g_assert_null (ns_stats_load ("absent.json", &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "absent.json: cannot read the stats file: "));
  g_clear_error (&error);

  /* A ZIP (.npz) goes to the npz importer; a broken one is an error naming the file. */
  g_assert_true (g_file_set_contents ("stats.npz", "PK\x03\x04 truncated", -1, NULL));
  g_assert_null (ns_stats_load ("stats.npz", &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "stats.npz"));
  g_clear_error (&error);

  g_assert_cmpint (g_chdir (cwd), ==, 0);
}

static void
test_save_errors (void)
{
  g_autoptr (NsStats) stats = make_small_stats ();
  g_autoptr (GError) error = NULL;

  g_assert_false (ns_stats_save (stats, "/nonexistent-folder/stats.json", &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_cmpstr (error->message, ==,
                   "/nonexistent-folder/stats.json: cannot write: folder /nonexistent-folder "
                   "does not exist");
  g_clear_error (&error);
  g_assert_false (ns_stats_save (stats, "/dev/full", &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
}

/* The reader's lists of names are the file format's: every name fit and batchnorm write reads
 * back. */
static void
set_batchnorm_names (NsStats *stats, guint preset)
{
  JsonObject *params = ns_stats_get_params (stats);
  JsonArray *averages = json_array_new ();

  for (guint a = 0; a < NS_N_AVERAGES; a++)
    json_array_add_string_element (averages, 1u << a == NS_AVERAGE_WINDOW
                                               ? "window:10"
                                               : ns_average_to_string (1u << a));
  json_object_set_array_member (params, "averages", averages);
  json_object_set_string_member (params, "preset", ns_batchnorm_preset_to_string (preset));
  json_object_set_string_member (params, "momentum_convention",
                                 ns_momentum_convention_to_string (preset % 2));
  json_object_set_string_member (params, "running_var_estimator",
                                 preset % 2 ? "unbiased" : "biased");
}

static void
test_json_known_names (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "names.json", NULL);

  for (guint m = 0; m <= NS_METHOD_ROBUST + 1; m++)
    for (guint preset = 0; preset <= NS_BATCHNORM_FLAX; preset++)
      {
        g_autoptr (NsStats) stats =
          ns_stats_new (m <= NS_METHOD_ROBUST ? ns_method_to_string (m) : "batchnorm", 1);
        g_autoptr (NsStats) back = NULL;
        g_autoptr (GError) error = NULL;

        ns_stats_set_column (stats, 0, "x", 1, 0, 0, 1, 0, 1);
        set_batchnorm_names (stats, preset);
        g_assert_true (ns_stats_save (stats, path, &error));
        back = ns_stats_load (path, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (ns_stats_get_method (back), ==, ns_stats_get_method (stats));
      }
}

/* json-glib accepts a second value after the object; the stats reader must not. */
static void
test_json_trailing_value (void)
{
  g_autoptr (NsStats) stats = make_small_stats ();
  g_autofree char *text = ns_stats_to_json_string (stats);
  g_autofree char *with_tail = g_strconcat (text, "\n {\"format\": 1}\n", NULL);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "s.json", NULL);
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;
  guint lines = 2; /* the tail sits after the text's last line break and one more */

  for (const char *p = text; *p != '\0'; p++)
    lines += *p == '\n';
  g_assert_true (g_file_set_contents (path, with_tail, -1, NULL));
  g_assert_null (ns_stats_load (path, &error));
  expected = g_strdup_printf ("%s:%u:2: expected the end of the file after the object, found '{'",
                              path, lines);
  g_assert_cmpstr (error->message, ==, expected);
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats/container", test_container);
  g_test_add_func ("/stats/json/layout", test_json_layout);
  g_test_add_func ("/stats/json/many-columns", test_json_many_columns);
  g_test_add_func ("/stats/json/round-trip", test_json_round_trip);
  g_test_add_func ("/stats/json/metadata", test_json_metadata_round_trip);
  g_test_add_func ("/stats/json/arrays", test_json_arrays_round_trip);
  g_test_add_func ("/stats/json/non-finite", test_json_non_finite_spellings);
  g_test_add_func ("/stats/json/errors", test_json_errors);
  g_test_add_func ("/stats/json/known-names", test_json_known_names);
  g_test_add_func ("/stats/json/trailing-value", test_json_trailing_value);
  g_test_add_func ("/stats/json/save-errors", test_save_errors);
  return g_test_run ();
}
