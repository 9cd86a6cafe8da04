/* screenshot-demos.c: opens every guided demo in the real window (through app.demo) and saves a
 * PNG of the window per demo: `screenshot-demos OUTDIR [WIDTH HEIGHT]` (run by
 * screenshots-demos.sh). SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include "core/ns-demo.h"
#include "ui/ns-application.h"
#include "ui/ns-window.h"

static const char *outdir;
static int width = 1400, height = 940;
static int status = 0;

static void
wait_frames (GtkWidget *widget, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      gtk_test_widget_wait_for_draw (widget);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }
}

static gboolean
save_window (GtkWidget *window, const char *path)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;
  gboolean ok;
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);

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
  NsBatchNormView *view = ns_window_get_batchnorm_view (window);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  wait_frames (GTK_WIDGET (window), 2);
  for (guint i = 0; i < ns_demo_get_n (); i++)
    {
      const char *id = ns_demo_get_id (ns_demo_get (i));
      g_autofree char *file = g_strdup_printf ("demo-%s.png", id);
      g_autofree char *path = g_build_filename (outdir, file, NULL);

      g_action_group_activate_action (G_ACTION_GROUP (application), "demo",
                                      g_variant_new_string (id));
      ns_batchnorm_view_wait (view);
      wait_frames (GTK_WIDGET (window), 3);
      if (!save_window (GTK_WIDGET (window), path))
        {
          g_printerr ("screenshot-demos: cannot write %s\n", path);
          status = 1;
        }
      else
        g_print ("%s\n", path);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (application);
}

int
main (int argc, char **argv)
{
  g_autoptr (NsApplication) application = NULL;

  if (argc < 2)
    {
      g_printerr ("usage: screenshot-demos OUTDIR [WIDTH HEIGHT]\n");
      return 2;
    }
  outdir = argv[1];
  if (argc >= 4)
    width = atoi (argv[2]), height = atoi (argv[3]);
  g_mkdir_with_parents (outdir, 0755);
  gtk_init ();
  application = ns_application_new ();
  g_signal_connect (application, "activate", G_CALLBACK (activate), NULL);
  g_application_run (G_APPLICATION (application), 1, argv);
  return status;
}
