/* test-cli-files.c: normscope-cli and files: refusing to overwrite, the output guard, signals,
 * control characters, reader options and threads, .npy input, report.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-cli-helpers.h"

/* ---- Files. */

static void
test_refuse_overwrite (Fixture *f, gconstpointer unused)
{
  g_autofree char *train = data_path ("iris-train.csv");
  g_autofree char *before = NULL, *after = NULL, *stats_before = NULL, *stats_after = NULL;
  g_autofree char *input = tmp_file (f, "input.csv");
  g_autofree char *stats = tmp_file (f, "s.json");

  copy_into (f, train, "input.csv");
  g_file_get_contents (input, &before, NULL, NULL);

  g_assert_cmpint (run (f, "fit", "input.csv", "-m", "standard", "-o", "input.csv"), ==, 2);
  assert_line (f->err, 0, "input.csv: refusing to write over the input file input.csv");
  g_assert_cmpint (run (f, "fit", "input.csv", "-m", "standard", "-o", "./input.csv"), ==, 2);
  assert_line (f->err, 0, "./input.csv: refusing to write over the input file input.csv");

  g_assert_cmpint (run (f, "fit", "input.csv", "-m", "standard", "-o", "s.json"), ==, 0);
  g_file_get_contents (stats, &stats_before, NULL, NULL);
  g_assert_cmpint (run (f, "transform", "input.csv", "--stats", "s.json", "-o", "input.csv"), ==,
                   2);
  assert_line (f->err, 0, "input.csv: refusing to write over the input file input.csv");
  g_assert_cmpint (run (f, "transform", "input.csv", "--stats", "s.json", "-o", "s.json"), ==, 2);
  assert_line (f->err, 0, "s.json: refusing to write over the input file s.json");
  g_assert_cmpstr (f->out, ==, "");

  g_file_get_contents (input, &after, NULL, NULL);
  g_file_get_contents (stats, &stats_after, NULL, NULL);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (stats_before, ==, stats_after);
}

/* Every subcommand refuses, before writing anything, an output that is one of its inputs by any
 * name (a symbolic or hard link) or another of its outputs. */
static void
test_output_guard (Fixture *f, gconstpointer unused)
{
  g_autofree char *train = data_path ("iris-train.csv");
  g_autofree char *input = tmp_file (f, "input.csv");
  g_autofree char *hard = tmp_file (f, "hard.csv");
  g_autofree char *out = tmp_file (f, "out.json");
  g_autofree char *bn = tmp_file (f, "bn.json");
  g_autofree char *before = NULL, *after = NULL;
  const char *const refusals[][12] = {
    { "fit", "input.csv", "-m", "standard", "-o", "out.json", "--export", "csv:sym.csv" },
    { "fit", "sym.csv", "-m", "standard", "-o", "hard.csv" },
    { "fit", "input.csv", "-m", "robust", "-o", "out.json", "--export", "npz:hard.csv" },
    { "fit", "input.csv", "-m", "keras", "--stream", "-o", "hard.csv" },
    { "batchnorm", "input.csv", "-b", "8", "-o", "out.json", "--trace", "sym.csv" },
    { "batchnorm", "input.csv", "-b", "8", "-o", "out.json", "--outputs", "a.csv,hard.csv" },
    { "transform", "input.csv", "--stats", "s.json", "-o", "hard.csv" },
    { "export", "s.json", "--format", "npz", "-o", "./s.json" },
    { "merge", "p.json", "-o", "./p.json" },
    { "plot", "input.csv", "-m", "standard", "-o", "fig.svg" },
    { "plot", "input.csv", "--batchnorm", "-o", "fig.svg" },
    { "report", "input.csv", "-o", "hard.csv" },
  };

  copy_into (f, train, "input.csv");
  g_assert_true (g_file_get_contents (input, &before, NULL, NULL));
  g_assert_cmpint (run (f, "fit", "input.csv", "-m", "standard", "-o", "s.json"), ==, 0);
  g_assert_cmpint (run (f, "fit", "input.csv", "-m", "standard", "--partial", "-o", "p.json"), ==,
                   0);
  g_assert_cmpint (link (input, hard), ==, 0);
  {
    g_autofree char *sym = tmp_file (f, "sym.csv");
    g_autofree char *fig = tmp_file (f, "fig.svg");

    g_assert_cmpint (symlink ("input.csv", sym), ==, 0);
    g_assert_cmpint (symlink ("input.csv", fig), ==, 0);
  }
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_assert_cmpint (run_argv (f, NULL, NULL, refusals[i]), ==, 2);
      g_assert_nonnull (strstr (f->err, ": refusing to write over the input file "));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
  /* The summary appended to the data it reads. */
  g_assert_cmpint (run_argv (f, input, NULL, (const char *const[]) { "stats", "hard.csv", NULL }),
                   ==, 2);
  assert_line (f->err, 0, "standard output: refusing to write over the input file hard.csv");
  g_assert_cmpint (run (f, "batchnorm", "input.csv", "-b", "8", "-o", "bn.json", "--trace",
                        "./bn.json"),
                   ==, 2);
  assert_line (f->err, 0,
               "./bn.json: -o and --trace write the same file: refusing to let one "
               "replace the other");
  g_assert_false (g_file_test (bn, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (input, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
}

/* A ".NAME.XXXXXX" temporary file of an output in dir. */
static gboolean
has_temp_file (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    if (name[0] == '.')
      return TRUE;
  return FALSE;
}

static void
reset_cleanup_signals (gpointer unused)
{
  signal (SIGINT, SIG_DFL);
  signal (SIGTERM, SIG_DFL);
  signal (SIGHUP, SIG_DFL);
}

/* Starts transform of big.csv to out.csv and sends sig as soon as its temporary file exists. */
static int
interrupt_transform (Fixture *f, int sig)
{
  const char *argv[] = {
    ns_test_getenv ("NS_CLI"), "transform", "big.csv", "--stats", "s.json", "-o", "out.csv", NULL
  };
  g_autoptr (GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  int status;
  GPid pid;

  g_spawn_async (f->dir, (char **) argv, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                   G_SPAWN_STDERR_TO_DEV_NULL,
                 reset_cleanup_signals, NULL, &pid, &error);
  g_assert_no_error (error);
  while (!has_temp_file (f->dir))
    {
      if (waitpid (pid, &status, WNOHANG) == pid || g_get_monotonic_time () > deadline)
        g_error ("transform ended or hung before its temporary file was seen");
      g_usleep (500);
    }
  g_assert_cmpint (kill (pid, sig), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return status;
}

/* Ctrl-C, kill or a closed terminal while a large output is written: the process ends by the
 * signal and leaves neither the output nor its temporary file. */
static void
test_signal_leaves_no_temp (Fixture *f, gconstpointer unused)
{
  const int signals[] = { SIGTERM, SIGINT, SIGHUP };
  g_autofree char *big = tmp_file (f, "big.csv");
  g_autofree char *out = tmp_file (f, "out.csv");
  g_autoptr (GString) text = g_string_new ("a,b,c,d\n");

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (text, "%u,%u.5,%u,%u\n", i, i % 97, i * 3, i % 7);
  g_assert_true (g_file_set_contents (big, text->str, (gssize) text->len, NULL));
  g_assert_cmpint (run (f, "fit", "big.csv", "-m", "standard", "-o", "s.json"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      int status = interrupt_transform (f, signals[i]);

      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, signals[i]);
      g_assert_false (has_temp_file (f->dir));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

/* No byte a terminal acts on: C0 controls but the newline, DEL, and C1 as UTF-8. */
static void
assert_inert (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if ((c < 0x20 && c != '\n') || c == 0x7f ||
          (c == 0xc2 && (guchar) p[1] >= 0x80 && (guchar) p[1] <= 0x9f))
        g_error ("control byte 0x%02x reaches the terminal in: %s", c, text);
    }
}

/* Column names, tokens and file names from the data reach the terminal escaped: the stats and
 * report tables, the JSON of stats --json (which still parses to the exact names), errors. */
static void
test_control_characters (Fixture *f, gconstpointer unused)
{
  const char *names[] = { "\x1b]52;c;aGFja2Vk\x07", "\x1b[2Jx", "\xc2\x9bplain\x7f", "tab\tbed" };
  g_autofree char *hostile = tmp_file (f, "hostile.csv");
  g_autofree char *renamed = tmp_file (f, "\x1b]0;title\x07.csv");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *columns;

  g_assert_true (g_file_set_contents (hostile,
                                      "\"\x1b]52;c;aGFja2Vk\x07\",\x1b[2Jx,\xc2\x9bplain\x7f,"
                                      "\"tab\tbed\"\n1,2,3,4\n5,6,7,8\n",
                                      -1, NULL));
  g_assert_cmpint (run (f, "stats", "hostile.csv"), ==, 0);
  assert_inert (f->out);
  g_assert_nonnull (strstr (f->out, "\n\\x1b]52;c;aGFja2Vk\\x07  numeric"));
  g_assert_nonnull (strstr (f->out, "\n\\x1b[2Jx  "));
  g_assert_nonnull (strstr (f->out, "\n\\u009bplain\\x7f  "));
  g_assert_nonnull (strstr (f->out, "\ntab\\tbed  "));

  g_assert_cmpint (run (f, "stats", "--json", "hostile.csv"), ==, 0);
  assert_inert (f->out);
  g_assert_nonnull (strstr (f->out, "\"\\u001b]52;c;aGFja2Vk\\u0007\""));
  g_assert_nonnull (strstr (f->out, "\"\\u009bplain\\u007f\""));
  json_parser_load_from_data (parser, f->out, -1, &error);
  g_assert_no_error (error);
  columns =
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "columns");
  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (columns, c),
                                                    "name"),
                     ==, names[c]);

  g_assert_cmpint (run (f, "report", "hostile.csv", "-o", "r.json"), ==, 0);
  assert_inert (f->out);
  g_assert_nonnull (strstr (f->out, "\n  \\x1b[2Jx  "));

  /* A file name, an option value and a command name quoted back in messages. */
  g_assert_true (g_file_set_contents (renamed, "a\n1\n2\nx\x1b[2J\n", -1, NULL));
  g_assert_cmpint (run (f, "stats", "\x1b]0;title\x07.csv"), ==, 2);
  assert_inert (f->err);
  assert_line (f->err, 0,
               "\\x1b]0;title\\x07.csv:4:1: expected a number in column 'a', found "
               "'x\\x1b[2J'");
  g_assert_cmpint (run (f, "fit", "hostile.csv", "-m", "\x1b[2J", "-o", "s.json"), ==, 2);
  assert_inert (f->err);
  g_assert_cmpint (run (f, "stats", "hostile.csv",
                        "\x9b"
                        "31m"),
                   ==, 2);
  assert_inert (f->err);
  assert_line (f->err, 0, "normscope-cli stats: unexpected argument '\\x9b31m'");
  g_assert_cmpint (run (f, "\x1b[2J"), ==, 2);
  assert_line (f->err, 0, "normscope-cli: unknown command '\\x1b[2J'");
  g_assert_cmpint (run (f, "fit", "hostile.csv", "-m", "standard", "-v", "-o", "s\x1b[2J.json"), ==,
                   0);
  assert_inert (f->err);
  assert_line (f->err, 0, "wrote standard stats for 4 features to s\\x1b[2J.json");
}

static void
test_file_errors (Fixture *f, gconstpointer unused)
{
  g_autofree char *train = data_path ("iris-train.csv");
  g_autofree char *full = g_strdup_printf ("/dev/full: cannot write: %s", g_strerror (ENOSPC));
  g_autofree char *stdout_full =
    g_strdup_printf ("standard output: cannot write: %s", g_strerror (ENOSPC));

  g_assert_cmpint (run (f, "stats", "nothere.csv"), ==, 2);
  g_assert_true (g_str_has_prefix (f->err, "nothere.csv: "));
  g_assert_cmpstr (f->out, ==, "");

  g_assert_cmpint (run (f, "fit", train, "-m", "standard", "-o", "nofolder/s.json"), ==, 2);
  assert_line (f->err, 0, "nofolder/s.json: cannot write: folder nofolder does not exist");

  g_assert_cmpint (run (f, "fit", train, "-m", "standard", "-o", "/dev/full"), ==, 2);
  assert_line (f->err, 0, full);

  g_assert_cmpint (run (f, "fit", train, "-m", "standard", "-o", "s.json"), ==, 0);
  g_assert_cmpint (run (f, "transform", train, "--stats", "s.json", "-o", "/dev/full"), ==, 2);
  assert_line (f->err, 0, full);

  g_assert_cmpint (run_argv (f, "/dev/full", NULL, (const char *const[]) { "stats", train, NULL }),
                   ==, 2);
  assert_line (f->err, 0, stdout_full);

  g_assert_cmpint (run (f, "transform", train, "--stats", "nothere.json", "-o", "z.csv"), ==, 2);
  g_assert_true (g_str_has_prefix (f->err, "nothere.json: "));
  {
    g_autofree char *never = tmp_file (f, "z.csv");

    g_assert_false (g_file_test (never, G_FILE_TEST_EXISTS));
  }
}

/* --export writes an export beside the stats file; transform reads it back to the same output. */
static void
test_fit_export (Fixture *f, gconstpointer unused)
{
  g_autofree char *train = data_path ("iris-train.csv");
  g_autofree char *test = data_path ("iris-test.csv");
  g_autofree char *a_path = tmp_file (f, "a.csv");
  g_autofree char *b_path = tmp_file (f, "b.csv");
  g_autofree char *never = tmp_file (f, "never.json");
  g_autofree char *a = NULL, *b = NULL;

  run (f, "fit", train, "-m", "standard", "-o", "never.json", "--export", "bogus:x.npz");
  g_assert_cmpint (f->status, ==, 2);
  g_assert_true (g_str_has_prefix (f->err, "normscope-cli fit: --export: "));
  g_assert_false (g_file_test (never, G_FILE_TEST_EXISTS));

  g_assert_cmpint (run (f, "fit", train, "-m", "standard", "-o", "s.json", "--export", "npz:s.npz"),
                   ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  g_assert_cmpint (run (f, "transform", test, "--stats", "s.json", "-o", "a.csv"), ==, 0);
  g_assert_cmpint (run (f, "transform", test, "--stats", "s.npz", "-o", "b.csv"), ==, 0);
  g_file_get_contents (a_path, &a, NULL, NULL);
  g_file_get_contents (b_path, &b, NULL, NULL);
  g_assert_nonnull (a);
  g_assert_cmpstr (a, ==, b);
}

/* fit -o and --export are put in place together: a refused export leaves the earlier stats file
 * as it was, and a run that succeeds replaces it keeping its mode, with no temporary file left. */
static void
test_outputs_together (Fixture *f, gconstpointer unused)
{
  g_autofree char *train = data_path ("iris-train.csv");
  g_autofree char *stats = tmp_file (f, "s.json");
  g_autofree char *export = tmp_file (f, "s.npz");
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_true (g_file_set_contents (stats, "earlier\n", -1, NULL));
  g_assert_cmpint (g_chmod (stats, 0640), ==, 0);
  g_assert_cmpint (run (f, "fit", train, "-m", "standard", "-o", "s.json", "--export",
                        "npz:missing/s.npz"),
                   ==, 2);
  assert_line (f->err, 0, "missing/s.npz: cannot write: folder missing does not exist");
  g_assert_true (g_file_get_contents (stats, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "earlier\n");

  g_assert_cmpint (run (f, "fit", train, "-m", "standard", "-o", "s.json", "--export", "npz:s.npz"),
                   ==, 0);
  g_assert_cmpint (g_stat (stats, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 07777, ==, 0640);
  g_assert_true (g_file_test (export, G_FILE_TEST_IS_REGULAR));
  g_assert_false (has_temp_file (f->dir));
}

/* --delimiter, --missing and --no-header reach the reader. */
static void
test_reader_options (Fixture *f, gconstpointer unused)
{
  g_autofree char *path = tmp_file (f, "m.tsv");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *columns;
  JsonObject *b;

  g_file_set_contents (path, "1|3\n2|x\n4|5\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run (f, "stats", "--json", "m.tsv", "--delimiter", "|", "--missing", "x",
                        "--no-header"),
                   ==, 0);
  json_parser_load_from_data (parser, f->out, -1, &error);
  g_assert_no_error (error);
  columns =
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 2);
  b = json_array_get_object_element (columns, 1);
  g_assert_cmpstr (json_object_get_string_member (b, "name"), ==, "column_2");
  g_assert_cmpfloat (json_object_get_double_member (b, "count"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (b, "missing"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (b, "mean"), ==, 4);

  /* Without --missing, 'x' below a number is an error at its line and column. */
  g_assert_cmpint (run (f, "stats", "m.tsv", "--delimiter", "|", "--no-header"), ==, 2);
  g_assert_true (g_str_has_prefix (f->err, "m.tsv:2:3: "));
}

/* A CSV of rows x 3 exact doubles, large enough (about 70 bytes a row) that the reader, the
 * streaming reader and the fit split their work across threads. */
static void
write_large_csv (const char *path, guint rows)
{
  g_autoptr (GString) text = g_string_new ("a,b,c\n");
  g_autoptr (GRand) rand = g_rand_new_with_seed (8);
  g_autoptr (GError) error = NULL;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < rows; i++)
    for (guint j = 0; j < 3; j++)
      {
        double value = g_rand_double_range (rand, -1.0, 1.0) * (j == 1 ? 1e6 : 1.0) + j * 1e3;

        g_string_append (text, g_ascii_formatd (buffer, sizeof buffer, "%.17g", value));
        g_string_append_c (text, j == 2 ? '\n' : ',');
      }
  g_file_set_contents (path, text->str, (gssize) text->len, &error);
  g_assert_no_error (error);
}

static char *
read_text (Fixture *f, const char *name)
{
  g_autofree char *path = tmp_file (f, name);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* --threads 1 gives the same bytes as all cores (fits do not depend on the thread count), in
 * memory, streaming and in stats; a count below 1 or not a number is a usage error. */
static void
test_reader_threads (Fixture *f, gconstpointer unused)
{
  g_autofree char *path = tmp_file (f, "big.csv");
  g_autofree char *all_out = NULL;
  const char *const fits[][2] = { { "--method=standard", "--columns=a,b,c" },
                                  { "--method=keras", "--stream" },
                                  { "--method=minmax", "--columns=c,a" } };

  write_large_csv (path, 150000);
  for (guint i = 0; i < G_N_ELEMENTS (fits); i++)
    {
      g_autofree char *all = NULL, *one = NULL;

      g_assert_cmpint (run (f, "fit", "big.csv", fits[i][0], fits[i][1], "-o", "all.json"), ==, 0);
      g_assert_cmpint (run (f, "fit", "big.csv", fits[i][0], fits[i][1], "--threads", "1", "-o",
                            "one.json"),
                       ==, 0);
      g_assert_cmpstr (f->err, ==, "");
      all = read_text (f, "all.json");
      one = read_text (f, "one.json");
      g_assert_cmpstr (one, ==, all);
    }
  g_assert_cmpint (run (f, "stats", "--json", "big.csv"), ==, 0);
  all_out = g_steal_pointer (&f->out);
  g_assert_cmpint (run (f, "stats", "--json", "big.csv", "--threads=1"), ==, 0);
  g_assert_cmpstr (f->out, ==, all_out);
  g_assert_cmpint (run (f, "report", "big.csv", "-o", "r.json", "--threads", "2"), ==, 0);

  run (f, "fit", "big.csv", "-m", "standard", "--threads", "0", "-o", "x.json");
  assert_usage_error (f, "fit",
                      "--threads: expected a whole number of threads, at least 1, "
                      "found '0'");
  run (f, "stats", "big.csv", "--threads", "x");
  assert_usage_error (f, "stats",
                      "--threads: expected a whole number of threads, at least 1, "
                      "found 'x'");
  run (f, "transform", "big.csv", "--stats", "all.json", "-o", "t.csv", "--threads", "1.5");
  assert_usage_error (f, "transform",
                      "--threads: expected a whole number of threads, at least 1, "
                      "found '1.5'");
}

static void
test_stats_npy (Fixture *f, gconstpointer unused)
{
  JsonObject *expected = json_object_get_object_member (expected_json (), "npy");
  g_autofree char *train = data_path ("iris-train.npy");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *columns;

  copy_into (f, train, "t.npy");
  g_assert_cmpint (run (f, "stats", "t.npy"), ==, 0);
  assert_line (f->out, 0,
               "t.npy: tensor of shape (100, 2, 2), kept axis 2: 2 features of 200 values each");
  g_assert_cmpint (run (f, "stats", "--json", "t.npy"), ==, 0);
  json_parser_load_from_data (parser, f->out, -1, &error);
  g_assert_no_error (error);
  columns =
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 2);
  for (guint c = 0; c < 2; c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);

      g_assert_cmpfloat (json_object_get_double_member (column, "count"), ==, 200);
      ns_test_assert_close (json_object_get_double_member (column, "mean"),
                            json_array_get_double_element (json_object_get_array_member (expected,
                                                                                         "mean"),
                                                           c),
                            TOLERANCE, TOLERANCE, "%s", "npy stats mean");
      ns_test_assert_close (
        json_object_get_double_member (column, "variance_population"),
        json_array_get_double_element (json_object_get_array_member (expected, "variance"), c),
        TOLERANCE, TOLERANCE, "%s", "npy stats var");
    }
  g_assert_cmpint (run (f, "stats", "t.npy", "--axis", "none"), ==, 0);
  assert_line (f->out, 0,
               "t.npy: tensor of shape (100, 2, 2), kept axis none: 1 feature of 400 values each");
  g_assert_cmpint (run (f, "stats", "t.npy", "--axis", "0"), ==, 2);
  g_assert_true (g_str_has_prefix (f->err, "t.npy: axis '0' is the sample axis"));
}

/* The CLI passes the reader's message through unchanged (file:line:column first), exit 2. */
static void
test_bad_number (Fixture *f, gconstpointer unused)
{
  g_autofree char *path = tmp_file (f, "bad.csv");
  g_autofree char *relative = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  NsReadOptions options;

  g_file_set_contents (path, "a;b\n1;2\n3;4x\n", -1, &error);
  g_assert_no_error (error);
  ns_read_options_init (&options);
  data = ns_dataset_load (path, &options, NULL, &error);
  g_assert_null (data);
  g_assert_true (g_str_has_prefix (error->message, path));
  relative = g_strconcat ("bad.csv", error->message + strlen (path), NULL);
  g_assert_true (g_str_has_prefix (relative, "bad.csv:3:3: "));
  g_assert_cmpint (run (f, "stats", "bad.csv"), ==, 2);
  assert_line (f->err, 0, relative);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpint (run (f, "fit", "bad.csv", "-m", "robust", "-o", "s.json"), ==, 2);
  assert_line (f->err, 0, relative);
}

/* The numbers of column c of a stats file: mean, variance, offset, scale, bit for bit. */
static void
assert_same_column_numbers (JsonObject *a, JsonObject *b)
{
  static const char *const keys[] = { "count", "mean", "variance", "offset", "scale" };

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    g_assert_cmpfloat (json_object_get_double_member (a, keys[k]), ==,
                       json_object_get_double_member (b, keys[k]));
}

static JsonArray *
stats_columns (JsonNode *root)
{
  return json_object_get_array_member (json_node_get_object (root), "columns");
}

/* The JSON file a run wrote into the fixture's folder. */
static JsonNode *
load_output_json (Fixture *f, const char *name)
{
  g_autofree char *path = tmp_file (f, name);

  return load_json (path);
}

/* A decimal-comma CSV (sniffed, read from a file and from standard input) and the same table
 * as .npy give the same stats numbers; --axis none pools the .npy and is refused for the CSV. */
static void
test_decimal_comma_like_npy (Fixture *f, gconstpointer unused)
{
  g_autofree char *csv = tmp_file (f, "de.csv");
  g_autofree char *npy = tmp_file (f, "de.npy");
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (JsonNode) from_csv = NULL, from_npy = NULL, from_stdin = NULL;

  g_assert_true (
    g_file_set_contents (csv, "a;b;c\n1,5;2,25;3\n-0,5;1e3;4\n7;8,125;0,1\n", -1, NULL));
  data = load_dataset (csv);
  g_assert_true (ns_npy_write (data, npy, &error));
  g_assert_no_error (error);
  for (guint a = 0; a < 3; a++)
    {
      const char *axis = (const char *[]) { "-1", "1", NULL }[a];

      g_assert_cmpint (run (f, "fit", "de.csv", "-m", "standard", "-o", "csv.json",
                            axis != NULL ? "--axis" : "--quiet", axis != NULL ? axis : "--quiet"),
                       ==, 0);
      g_assert_cmpint (run (f, "fit", "de.npy", "-m", "standard", "-o", "npy.json",
                            axis != NULL ? "--axis" : "--quiet", axis != NULL ? axis : "--quiet"),
                       ==, 0);
      g_clear_pointer (&from_csv, json_node_unref);
      g_clear_pointer (&from_npy, json_node_unref);
      from_csv = load_output_json (f, "csv.json");
      from_npy = load_output_json (f, "npy.json");
      g_assert_cmpuint (json_array_get_length (stats_columns (from_csv)), ==, 3);
      for (guint c = 0; c < 3; c++)
        assert_same_column_numbers (json_array_get_object_element (stats_columns (from_csv), c),
                                    json_array_get_object_element (stats_columns (from_npy), c));
    }
  g_assert_cmpint (run_stdin (f, "de.csv", "fit", "-", "-m", "standard", "-o", "stdin.json"), ==,
                   0);
  from_stdin = load_output_json (f, "stdin.json");
  for (guint c = 0; c < 3; c++)
    assert_same_column_numbers (json_array_get_object_element (stats_columns (from_csv), c),
                                json_array_get_object_element (stats_columns (from_stdin), c));

  g_assert_cmpint (run (f, "fit", "de.npy", "-m", "standard", "--axis", "none", "-o",
                        "pooled.json"),
                   ==, 0);
  g_assert_cmpint (run (f, "fit", "de.csv", "-m", "standard", "--axis", "none", "-o",
                        "refused.json"),
                   ==, 2);
  assert_line (f->err, 0,
               "de.csv: --axis none cannot apply to a table: the features of a CSV are "
               "its columns (--axis -1 or 1); to pool all its values, save it as .npy");
  g_assert_cmpint (run (f, "stats", "de.csv", "--axis", "0"), ==, 2);
  g_assert_true (g_str_has_prefix (f->err, "de.csv: --axis 0 cannot apply to a table"));
  g_assert_cmpint (run (f, "fit", "de.csv", "-m", "standard", "--stream", "--axis", "none", "-o",
                        "x.json"),
                   ==, 2);
  g_assert_true (g_str_has_prefix (f->err, "de.csv: --axis none cannot apply to a table"));

  /* --decimal . refuses the commas; a bad value or a clash with the delimiter is a usage error. */
  g_assert_cmpint (run (f, "stats", "de.csv", "--decimal", "."), ==, 2);
  assert_line (f->err, 0, "de.csv:2:1: expected a number in column 'a', found '1,5'");
  g_assert_cmpint (run_stdin (f, "de.csv", "stats", "-", "--decimal", "."), ==, 2);
  assert_line (f->err, 0, "-:2:1: expected a number in column 'a', found '1,5'");
  run (f, "stats", "de.csv", "--decimal", ";");
  assert_usage_error (f, "stats", "--decimal: expected '.' or ',', found ';'");
  run (f, "transform", "de.csv", "--stats", "csv.json", "-o", "t.csv", "--decimal", ",", "-d", ",");
  assert_usage_error (f, "transform",
                      "--decimal , needs a delimiter other than ',' (--delimiter ';')");
  g_assert_cmpint (run (f, "transform", "de.csv", "--stats", "csv.json", "-o", "t.csv", "--decimal",
                        ","),
                   ==, 0);
}

static void
test_report (Fixture *f, gconstpointer unused)
{
  g_autofree char *iris = iris_path ();
  g_autofree char *stats_path =
    g_build_filename (f->dir, "cache", "normscope", "iris.stats.json", NULL);
  g_autofree char *named = tmp_file (f, "r.json");
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *where = NULL;

  g_assert_cmpint (run (f, "report", iris), ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  g_assert_nonnull (strstr (f->out, "Standard scaling"));
  g_assert_nonnull (strstr (f->out, "sepal_length_cm"));
  g_assert_nonnull (strstr (f->out, "3 distinct values"));
  where = g_strdup_printf ("Stats file (exact values): %s\n", stats_path);
  g_assert_nonnull (strstr (f->out, where));
  root = load_json (stats_path);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "method"), ==,
                   "standard");

  g_assert_cmpint (run (f, "report", iris, "-o", "r.json"), ==, 0);
  g_assert_true (g_file_test (named, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (f->out, "Stats file (exact values): r.json\n"));
}

int
main (int argc, char **argv)
{
  /* The same locale as the child, so localized strerror texts compare equal. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add ((path), Fixture, NULL, fixture_setup, (func), fixture_teardown)

  ADD ("/cli/stats/control-characters", test_control_characters);
  ADD ("/cli/fit/export", test_fit_export);
  ADD ("/cli/files/outputs-together", test_outputs_together);
  ADD ("/cli/stats/reader-options", test_reader_options);
  ADD ("/cli/reader/threads", test_reader_threads);
  ADD ("/cli/stats/npy", test_stats_npy);
  ADD ("/cli/files/refuse-overwrite", test_refuse_overwrite);
  ADD ("/cli/files/output-guard", test_output_guard);
  ADD ("/cli/files/signal-leaves-no-temp", test_signal_leaves_no_temp);
  ADD ("/cli/files/errors", test_file_errors);
  ADD ("/cli/files/bad-number", test_bad_number);
  ADD ("/cli/report", test_report);
  ADD ("/cli/files/decimal-comma-like-npy", test_decimal_comma_like_npy);
  return g_test_run ();
}
