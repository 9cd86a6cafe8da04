/* ns-window-settings.c: what the window remembers (size, compared strategies) and the columns
 * left out of the fits, per file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-window"
#include "config.h"
#include "ns-window-private.h"

/* Columns left out of the fits, per file: remembered in GSettings (excluded-columns). */

char **
_ns_window_get_excluded (NsWindow *self, const char *path)
{
  g_autoptr (GVariant) all = NULL;
  char **names = NULL;

  if (self->settings == NULL)
    return NULL;
  all = g_settings_get_value (self->settings, "excluded-columns");
  g_variant_lookup (all, path, "^as", &names);
  return names;
}

void
_ns_window_set_excluded (NsWindow *self, const char *path, const char *const *names)
{
  g_autoptr (GVariant) all = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (self->settings == NULL)
    return;
  all = g_settings_get_value (self->settings, "excluded-columns");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sas}"));
  g_variant_iter_init (&iter, all);
  while (g_variant_iter_next (&iter, "{&s@as}", &key, &value))
    {
      if (g_strcmp0 (key, path) != 0)
        g_variant_builder_add (&builder, "{s@as}", key, value);
      g_variant_unref (value);
    }
  if (names != NULL && names[0] != NULL)
    g_variant_builder_add (&builder, "{s^as}", path, names);
  g_settings_set_value (self->settings, "excluded-columns", g_variant_builder_end (&builder));
}

/* Remembered settings: the compared strategies, the window's size. */

void
_ns_window_save_strategies (NsWindow *self, const NsStrategy *strategies, guint n)
{
  const char *names[NS_N_COMPARED_STRATEGIES + 1];
  g_auto (GStrv) saved = NULL;

  if (self->settings == NULL)
    return;
  for (guint i = 0; i < n; i++)
    names[i] = ns_strategy_get_name (strategies[i]);
  names[n] = NULL;
  saved = g_settings_get_strv (self->settings, "strategies");
  if (!g_strv_equal ((const char *const *) saved, names))
    g_settings_set_strv (self->settings, "strategies", names);
}

/* The listed strategies, all at once (one at a time, a fifth would not fit beside the defaults). */
static void
ns_window_restore_strategies (NsWindow *self)
{
  g_auto (GStrv) names = g_settings_get_strv (self->settings, "strategies");
  NsStrategy listed[NS_N_COMPARED_STRATEGIES];
  guint n = 0;

  for (guint i = 0; names[i] != NULL && n < NS_N_COMPARED_STRATEGIES; i++)
    if (ns_strategy_from_name (names[i], &listed[n], NULL))
      n++;
  ns_comparison_view_set_active_strategies (self->comparison_view, listed, n);
}

/* On unrealize, which closing the window and app.quit (which destroys it) both reach; GTK 4 keeps
 * the default size at the size the user gave the unmaximized window. */
static void
ns_window_unrealize (GtkWidget *widget)
{
  NsWindow *self = NS_WINDOW (widget);
  int width, height;

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (GTK_WINDOW (widget), &width, &height);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (GTK_WINDOW (widget)));
    }
  GTK_WIDGET_CLASS (g_type_class_peek (ADW_TYPE_APPLICATION_WINDOW))->unrealize (widget);
}

void
_ns_window_restore_settings (NsWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  ns_window_restore_strategies (self);
}

void
_ns_window_settings_class_init (GtkWidgetClass *widget_class)
{
  widget_class->unrealize = ns_window_unrealize;
}
