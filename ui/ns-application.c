/* ns-application.c: the libadwaita application: one instance, which opens files in its window;
 * app actions, About window, the remembered light/dark style.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-application"
#include "config.h"
#include "ns-application.h"

#include "ns-settings.h"
#include "ns-window.h"

struct _NsApplication {
  AdwApplication parent_instance;
  GSettings *settings; /* NULL without the schema */
};

G_DEFINE_FINAL_TYPE (NsApplication, ns_application, ADW_TYPE_APPLICATION)

static NsWindow *
ns_application_new_window (NsApplication *self)
{
  return ns_window_new (GTK_APPLICATION (self));
}

static void
ns_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (ns_application_new_window (NS_APPLICATION (application)));
  gtk_window_present (window);
}

/* The first file goes to the running window (a second `normscope FILE` or "Open With" reaches
 * this instance over D-Bus), any further ones to new windows. */
static void
ns_application_open (GApplication *application, GFile **files, int n_files, const char *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      GtkWindow *window =
        i == 0 ? gtk_application_get_active_window (GTK_APPLICATION (application)) : NULL;

      if (window == NULL)
        window = GTK_WINDOW (ns_application_new_window (NS_APPLICATION (application)));
      ns_window_open (NS_WINDOW (window), files[i]);
      gtk_window_present (window);
    }
}

static void
ns_application_about (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkApplication *application = user_data;
  const char *developers[] = { "The normscope authors", NULL };
  GtkWidget *about = adw_about_window_new ();

  g_object_set (about, "transient-for", gtk_application_get_active_window (application),
                "application-name", "normscope", "application-icon", APP_ID, "version",
                PACKAGE_VERSION, "developers", developers, "license-type", GTK_LICENSE_GPL_3_0,
                "comments",
                "See how input-normalization strategies differ, and export the exact "
                "statistics scikit-learn, Keras and PyTorch would compute.",
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
ns_application_quit (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkWindow *window;

  /* Closing the windows (rather than g_application_quit) lets them cancel their loads. */
  while ((window = gtk_application_get_active_window (GTK_APPLICATION (user_data))) != NULL)
    gtk_window_destroy (window);
}

static void
ns_application_demo (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (window == NULL)
    window = GTK_WINDOW (ns_application_new_window (NS_APPLICATION (user_data)));
  ns_window_show_demo (NS_WINDOW (window), g_variant_get_string (param, NULL));
  gtk_window_present (window);
}

static AdwColorScheme
ns_application_color_scheme (const char *name)
{
  return g_strcmp0 (name, "light") == 0  ? ADW_COLOR_SCHEME_FORCE_LIGHT
         : g_strcmp0 (name, "dark") == 0 ? ADW_COLOR_SCHEME_FORCE_DARK
                                         : ADW_COLOR_SCHEME_DEFAULT;
}

/* The light/dark switch of the main menu ("default" follows the system), remembered. */
static void
ns_application_set_color_scheme (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  NsApplication *self = user_data;
  const char *name = g_variant_get_string (state, NULL);

  g_simple_action_set_state (action, state);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ns_application_color_scheme (name));
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "color-scheme", name);
}

static const GActionEntry ns_application_actions[] = {
  { "color-scheme", NULL, "s", "'default'", ns_application_set_color_scheme },
  { "about", ns_application_about },
  { "demo", ns_application_demo, "s" },
  { "quit", ns_application_quit },
};

static void
ns_application_startup (GApplication *application)
{
  const char *quit[] = { "<Control>q", NULL };
  const char *help[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (ns_application_parent_class)->startup (application);
  g_action_map_add_action_entries (G_ACTION_MAP (application), ns_application_actions,
                                   G_N_ELEMENTS (ns_application_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay",
                                         help);
  gtk_window_set_default_icon_name (APP_ID);
  NS_APPLICATION (application)->settings = ns_settings_new ();
  if (NS_APPLICATION (application)->settings != NULL)
    {
      g_autofree char *scheme =
        g_settings_get_string (NS_APPLICATION (application)->settings, "color-scheme");

      g_action_group_change_action_state (G_ACTION_GROUP (application), "color-scheme",
                                          g_variant_new_string (scheme));
    }
}

static void
ns_application_finalize (GObject *object)
{
  g_clear_object (&NS_APPLICATION (object)->settings);
  G_OBJECT_CLASS (ns_application_parent_class)->finalize (object);
}

/* --version exits here, before registration and startup, so it needs no display. */
static int
ns_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  if (!g_variant_dict_contains (options, "version"))
    return -1;
  g_print ("normscope %s\n", PACKAGE_VERSION);
  return 0;
}

/* GApplication exits 1 when the options do not parse (before registering); bad usage exits 2 in
 * normscope as in normscope-cli. */
static gboolean
ns_application_local_command_line (GApplication *application, char ***arguments, int *exit_status)
{
  gboolean handled = G_APPLICATION_CLASS (ns_application_parent_class)
                       ->local_command_line (application, arguments, exit_status);

  if (handled && *exit_status == EXIT_FAILURE && !g_application_get_is_registered (application))
    {
      g_printerr ("Try 'normscope --help'\n");
      *exit_status = 2;
    }
  return handled;
}

static void
ns_application_class_init (NsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->local_command_line = ns_application_local_command_line;
  app_class->handle_local_options = ns_application_handle_local_options;
  app_class->activate = ns_application_activate;
  app_class->open = ns_application_open;
  app_class->startup = ns_application_startup;
  G_OBJECT_CLASS (klass)->finalize = ns_application_finalize;
}

static void
ns_application_init (NsApplication *self)
{
  g_application_set_option_context_parameter_string (G_APPLICATION (self), "[FILE…]");
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            "See how input-normalization strategies differ on "
                                            "FILE (CSV, CSV.gz or .npy).");
  g_application_add_main_option (G_APPLICATION (self), "version", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE, "Show the version", NULL);
}

NsApplication *
ns_application_new (void)
{
  return g_object_new (NS_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN, "resource-base-path",
                       "/io/github/normscope/Normscope", NULL);
}
