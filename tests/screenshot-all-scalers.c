/* screenshot-all-scalers.c: opens FILE in the real window at WIDTH x HEIGHT, shows the All Scalers
 * page for columns X and Y (colour COLOR, or "none"), waits for the fit and saves the window:
 * `screenshot-all-scalers FILE OUT.png WIDTH HEIGHT X Y [COLOR]` (run by screenshots.sh).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include "ui/ns-application.h"
#include "ui/ns-window.h"

static char **args;
static int n_args;
static int status = 1;

static void
run_until (gboolean (*done) (gpointer), gpointer data)
{
  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
loaded (gpointer window)
{
  return !ns_window_is_loading (window) && ns_window_get_data (window) != NULL;
}

static gboolean
fitted (gpointer view)
{
  return ns_all_scalers_view_get_plot (view) != NULL;
}

static gboolean
save_window (GtkWidget *window, const char *path)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
  GskRenderNode *node;
  GdkTexture *texture;
  gboolean ok;

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  ok = gdk_texture_save_to_png (texture, path);
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
  return ok;
}

static void
activate (GApplication *application)
{
  NsWindow *window = ns_window_new (GTK_APPLICATION (application));
  NsAllScalersView *view = ns_window_get_all_scalers_view (window);
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (args[1]);
  const char *color = n_args > 7 && g_strcmp0 (args[7], "none") != 0 ? args[7] : NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), atoi (args[3]), atoi (args[4]));
  gtk_window_present (GTK_WINDOW (window));
  ns_window_open (window, file);
  run_until (loaded, window);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (
                                           gtk_widget_get_ancestor (GTK_WIDGET (view),
                                                                    ADW_TYPE_VIEW_STACK)),
                                         "all-scalers");
  ns_all_scalers_view_select (view, args[5], args[6], color);
  run_until (fitted, view);
  for (guint i = 0; i < 3; i++)
    {
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }
  status = save_window (GTK_WIDGET (window), args[2]) ? 0 : 1;
  if (g_getenv ("NS_SCREENSHOT_HOLD") != NULL) /* time for `import -window root` */
    for (gint64 end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC; g_get_monotonic_time () < end;)
      g_main_context_iteration (NULL, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (application);
}

int
main (int argc, char **argv)
{
  g_autoptr (NsApplication) application = NULL;

  if (argc < 7)
    {
      g_printerr ("usage: screenshot-all-scalers FILE OUT.png WIDTH HEIGHT X Y [COLOR]\n");
      return 2;
    }
  args = argv;
  n_args = argc;
  gtk_init ();
  application = ns_application_new ();
  g_signal_connect (application, "activate", G_CALLBACK (activate), NULL);
  g_application_run (G_APPLICATION (application), 1, argv);
  return status;
}
