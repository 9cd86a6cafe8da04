/* test-csv-exact.c: exact number parsing (strtod's in the C locale, in any locale) and the
 * CSV writer.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-csv-helpers.h"

/* ---- Exact numbers. */

static locale_t c_locale;

static double
strtod_c (const char *text, gboolean *range_error)
{
  double value;

  errno = 0;
  value = strtod_l (text, NULL, c_locale);
  *range_error = errno == ERANGE && isinf (value);
  return value;
}

static void
assert_parses_like_strtod (const char *text)
{
  gboolean overflow;
  double expected = strtod_c (text, &overflow);
  double value;
  gboolean ok = ns_parse_double (text, strlen (text), &value);

  if (overflow)
    {
      g_assert_false (ok);
      g_assert_true (isinf (value));
      return;
    }
  g_assert_true (ok);
  if (!same_bits (value, expected))
    g_error ("%s: ns_parse_double gives %a, strtod %a", text, value, expected);
}

static void
check_hard_cases (void)
{
  static const char *const cases[] = {
    "0.1",
    "0.2",
    "0.3",
    "1e23",
    "8.98846567431158e307",
    "7.038531e-26",
    "9007199254740993",
    "9007199254740992.9999999999999999",
    "2.2250738585072011e-308",
    "2.2250738585072012e-308",
    "2.2250738585072014e-308",
    "4.9406564584124654e-324",
    "2.4703282292062327e-324",
    "2.4703282292062328e-324",
    "1e-400",
    "-1e-400",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "1.7976931348623159e308",
    "1e309",
    "-1e999",
    "0.500000000000000166533453693773481063544750213623046875",
    "3.0000000000000004440892098500626161694526672363281250000000001",
    "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124",
    "1.00000000000000011102230246251565404236316680908203126",
    "1797693134862315807937289714053034150799341327100378269361737789804449682927647509466490179775"
    "87"
    "2070963302864166928879109465555478519404026306574886715058206819089020007083836762738548458177"
    "11"
    "5317644757302700698555713669596228429148198608349364752927190741684443655107043427115596995080"
    "93"
    "042880177904174497791.9999999999",
    "0",
    "-0",
    "+0",
    ".5",
    "5.",
    "+.5e-3",
    "1E5",
    "1e+5",
    "000001.5000000",
    "123456789012345678901234567890",
    "0.000000000000000000000000000000000000000000001",
    "6.02214076e23",
    "-1.6021766208e-19",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_parses_like_strtod (cases[i]);
}

static void
check_random_cases (guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  char buf[128];

  for (guint i = 0; i < 200000; i++)
    {
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      double value;

      memcpy (&value, &bits, sizeof value);
      if (!isfinite (value))
        continue;
      g_ascii_formatd (buf, sizeof buf, "%.17g", value);
      assert_parses_like_strtod (buf);
      /* Fewer digits: values between doubles, to test rounding rather than round trips. */
      g_ascii_formatd (buf, sizeof buf, i % 2 ? "%.9g" : "%.15e", value);
      assert_parses_like_strtod (buf);
    }
  /* Long digit strings near halfway points exercise the slow path. */
  for (guint i = 0; i < 20000; i++)
    {
      GString *text = g_string_new (NULL);
      guint n_digits = g_rand_int_range (rand, 17, 40);

      g_string_append_printf (text, "%u.", g_rand_int_range (rand, 1, 10));
      for (guint d = 0; d < n_digits; d++)
        g_string_append_c (text, "05"[g_rand_int_range (rand, 0, 2)] +
                                   (d < 3 ? g_rand_int_range (rand, 0, 5) : 0));
      g_string_append_printf (text, "e%d", g_rand_int_range (rand, -330, 310));
      assert_parses_like_strtod (text->str);
      g_string_free (text, TRUE);
    }
}

static void
test_parse_double_exact (void)
{
  check_hard_cases ();
  check_random_cases (1);
}

static void
test_parse_double_syntax (void)
{
  static const char *const good[] = { "1",        "-1",        "+1",    "1.5", ".5",   "5.",
                                      "1e5",      "1E-5",      "1e+05", "inf", "-inf", "+INF",
                                      "Infinity", "-infinity", "nan",   "NaN", "-nan" };
  static const char *const bad[] = { "",       " 1",      "1 ",    "0x1p3", "0x10",  "1,5",
                                     "1e",     "e5",      ".",     "-",     "+",     "1.5x",
                                     "nan(1)", "infx",    "--1",   "+-1",   "1e5.5", "1..5",
                                     "in",     "infinit", "1_000", "١" };
  double value;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (ns_parse_double (good[i], strlen (good[i]), &value));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("%s", bad[i]);
      g_assert_false (ns_parse_double (bad[i], strlen (bad[i]), &value));
    }
  g_assert_true (ns_parse_double ("-0", 2, &value) && signbit (value) && value == 0);
  g_assert_true (ns_parse_double ("-inf", 4, &value) && value == -INFINITY);
  /* Only the given length counts. */
  g_assert_true (ns_parse_double ("12345", 2, &value) && value == 12);
  g_assert_false (ns_parse_double (NULL, 0, &value));
  /* Out of range is refused but says which way. */
  g_assert_false (ns_parse_double ("-1e999", 6, &value));
  g_assert_true (value == -INFINITY);
}

static void
test_locale_independent (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  double value;

  g_assert_nonnull (setlocale (LC_ALL, "de_DE.UTF-8"));
  /* In this locale strtod reads "1,5" as 1.5 and stops at '.': the parser must not. */
  g_assert_true (ns_parse_double ("1.5", 3, &value) && value == 1.5);
  g_assert_false (ns_parse_double ("1,5", 3, &value));
  check_hard_cases ();
  check_random_cases (2);
  data = read_text ("a;b\n1.25;2e-3\n", NULL, &error);
  g_assert_no_error (error);
  assert_column (data, 0, "a", (double[]) { 1.25 }, 1);
  assert_column (data, 1, "b", (double[]) { 2e-3 }, 1);
  g_clear_pointer (&data, ns_dataset_free);
  /* The decimal comma is the file's, not the locale's: the same bits as in C. */
  data = read_text ("a;b\n1,25;0,1\n", NULL, &error);
  g_assert_no_error (error);
  assert_column (data, 0, "a", (double[]) { 1.25 }, 1);
  assert_column (data, 1, "b", (double[]) { 0.1 }, 1);
  setlocale (LC_ALL, saved);
}

/* ---- Writing. */

static NsDataset *
make_table (void)
{
  static const char *const names[] = { "plain", "with,comma", "say \"hi\"", " padded " };
  static const char *const texts[] = {
    "a", "b,c", "d \"e\"", "two\nlines", " pad ", "", "x;y", "é"
  };
  const double specials[] = {
    0.1, -0.0, INFINITY, -INFINITY, NAN, 5e-324, 1.7976931348623157e308, 1 / 3.0
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  NsDataset *data = ns_dataset_new_table (G_N_ELEMENTS (texts));
  char **labels = g_new0 (char *, G_N_ELEMENTS (texts) + 1);

  for (guint c = 0; c < 3; c++)
    {
      double *values = g_new (double, G_N_ELEMENTS (texts));

      for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
        {
          guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);

          memcpy (&values[i], &bits, sizeof (double));
          if (c == 1)
            values[i] = specials[i];
          else if (!isfinite (values[i]))
            values[i] = i;
        }
      ns_dataset_add_numeric_column (data, names[c], values);
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    labels[i] = g_strdup (texts[i]);
  ns_dataset_add_label_column (data, names[3], labels);
  ns_dataset_count_missing (data);
  return data;
}

static void
assert_same_table (const NsDataset *a, const NsDataset *b)
{
  gsize n = ns_dataset_get_n_samples (a);

  g_assert_cmpuint (ns_dataset_get_n_samples (b), ==, n);
  g_assert_cmpuint (ns_dataset_get_n_columns (b), ==, ns_dataset_get_n_columns (a));
  for (guint c = 0; c < ns_dataset_get_n_columns (a); c++)
    {
      g_assert_cmpstr (ns_dataset_get_column_name (b, c), ==, ns_dataset_get_column_name (a, c));
      g_assert_cmpint (ns_dataset_column_is_label (b, c), ==, ns_dataset_column_is_label (a, c));
      for (gsize i = 0; i < n; i++)
        if (ns_dataset_column_is_label (a, c))
          g_assert_cmpstr (ns_dataset_get_label (b, c, i), ==, ns_dataset_get_label (a, c, i));
        else if (isnan (ns_dataset_get_values (a, c)[i]))
          g_assert_true (isnan (ns_dataset_get_values (b, c)[i]));
        else
          g_assert_true (
            same_bits (ns_dataset_get_values (b, c)[i], ns_dataset_get_values (a, c)[i]));
    }
}

static void
test_round_trip (void)
{
  g_autoptr (NsDataset) table = make_table ();
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  const char delimiters[] = { ',', ';', '\t', ' ' };

  for (guint d = 0; d < G_N_ELEMENTS (delimiters); d++)
    {
      g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) back = NULL;
      NsReadOptions options;

      g_assert_true (ns_csv_write (table, path, delimiters[d], 0, &error));
      g_assert_no_error (error);
      ns_read_options_init (&options);
      options.delimiter = delimiters[d];
      back = ns_dataset_load (path, &options, NULL, &error);
      g_assert_no_error (error);
      assert_same_table (table, back);
      g_clear_pointer (&back, ns_dataset_free);
      /* Sniffed, too. */
      back = ns_dataset_load (path, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_same_table (table, back);
      g_unlink (path);
    }
}

static void
test_write_text (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (3);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) back = NULL;
  double *values = g_new (double, 3);

  values[0] = 0.1;
  values[1] = NAN;
  values[2] = -INFINITY;
  ns_dataset_add_numeric_column (data, "v", values);
  g_assert_true (ns_csv_write (data, path, 0, 0, &error));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  /* A lone missing value is a quoted empty field: an empty line would be skipped as blank. */
  g_assert_cmpstr (contents, ==, "v\n0.1\n\"\"\n-inf\n");
  back = ns_dataset_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_column (back, 0, "v", (double[]) { 0.1, NAN, -INFINITY }, 3);
  g_unlink (path);
}

/* Rows are formatted in chunks on threads: any thread count writes the same bytes, in order. */
static void
test_write_threads (void)
{
  const gsize n = 50001; /* four chunks of 16384 rows and a bit */
  g_autoptr (NsDataset) data = ns_dataset_new_table (n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *first = NULL;
  double *values = g_new (double, n);
  char **labels = g_new0 (char *, n + 1);

  for (gsize i = 0; i < n; i++)
    {
      values[i] = i % 97 == 3 ? NAN : g_rand_double_range (rand, -1e6, 1e6);
      labels[i] = g_strdup_printf (i % 5 == 0 ? "a, \"quoted\" %zu" : "plain%zu", i);
    }
  ns_dataset_add_numeric_column (data, "v", values);
  ns_dataset_add_label_column (data, "label", labels);
  for (guint threads = 1; threads <= 5; threads += 2)
    {
      g_autofree char *path = g_strdup_printf ("%s/out-%u.csv", dir, threads);
      g_autofree char *contents = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_true (ns_csv_write (data, path, ',', threads, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      if (first == NULL)
        {
          g_autoptr (NsDataset) back = ns_dataset_load (path, NULL, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (ns_dataset_get_n_samples (back), ==, n);
          for (gsize i = 0; i < n; i += 1009)
            {
              g_assert_true (isnan (values[i]) ? isnan (ns_dataset_get_values (back, 0)[i])
                                               : ns_dataset_get_values (back, 0)[i] == values[i]);
              g_assert_cmpstr (ns_dataset_get_label (back, 1, i), ==, labels[i]);
            }
          first = g_steal_pointer (&contents);
        }
      else
        g_assert_cmpstr (contents, ==, first);
      g_unlink (path);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);

  g_test_add_func ("/csv/number/exact", test_parse_double_exact);
  g_test_add_func ("/csv/number/syntax", test_parse_double_syntax);
  g_test_add_func ("/csv/number/locale", test_locale_independent);
  g_test_add_func ("/csv/write/round-trip", test_round_trip);
  g_test_add_func ("/csv/write/text", test_write_text);
  g_test_add_func ("/csv/write/threads", test_write_threads);
  return g_test_run ();
}
