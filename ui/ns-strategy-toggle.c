/* ns-strategy-toggle.c: strategy rows, chips and swatches, coloured from core's strategy table.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-strategy-toggle"
#include "config.h"
#include "ns-strategy-toggle.h"

#include <adwaita.h>
#include <math.h>
#include "ns-plot-view.h"

static void
ns_strategy_swatch_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NsStrategy strategy = (NsStrategy) GPOINTER_TO_INT (data);
  double rgb[3], side = MIN (width, height);

  ns_strategy_get_color (strategy, ns_plot_view_widget_is_dark (GTK_WIDGET (area)), rgb);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_rectangle (cr, (width - side) / 2, (height - side) / 2, side, side);
  cairo_fill (cr);
}

GtkWidget *
ns_strategy_swatch_new_scaled (NsStrategy strategy, double scale)
{
  GtkWidget *area;
  int side = (int) round (10 * scale);

  g_return_val_if_fail (scale > 0, NULL);
  area = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), side);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), side);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), ns_strategy_swatch_draw,
                                  GINT_TO_POINTER (strategy), NULL);
  /* Its colour follows the theme: redraw when libadwaita's style changes. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), area, G_CONNECT_SWAPPED);
  return area;
}

/* "label\nformula\nadvice" (free it). */
static char *
ns_strategy_tooltip (NsStrategy strategy)
{
  g_autofree char *description = ns_strategy_describe (strategy);

  return g_strdup_printf ("%s\n%s", ns_strategy_get_label (strategy), description);
}

/* The swatch and the short label, with the tooltip. */
static GtkWidget *
ns_strategy_name_box (NsStrategy strategy)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *tooltip = ns_strategy_tooltip (strategy);

  gtk_box_append (GTK_BOX (box), ns_strategy_swatch_new_scaled (strategy, 1));
  gtk_box_append (GTK_BOX (box), gtk_label_new (ns_strategy_get_short_label (strategy)));
  gtk_widget_set_tooltip_text (box, tooltip);
  return box;
}

static void
ns_strategy_row_show_state (GtkToggleButton *row, GParamSpec *pspec, GtkWidget *mark)
{
  gtk_widget_set_opacity (mark, gtk_toggle_button_get_active (row) ? 1 : 0);
}

GtkWidget *
ns_strategy_row_new (NsStrategy strategy)
{
  GtkWidget *row = gtk_toggle_button_new ();
  GtkWidget *box = ns_strategy_name_box (strategy);
  GtkWidget *mark = gtk_image_new_from_icon_name ("object-select-symbolic");
  g_autofree char *tooltip = ns_strategy_tooltip (strategy);

  /* A check mark before the name, kept in place (transparent) when off so the names align. */
  gtk_widget_set_opacity (mark, 0);
  gtk_box_prepend (GTK_BOX (box), mark);
  gtk_button_set_child (GTK_BUTTON (row), box);
  gtk_widget_add_css_class (row, "flat");
  gtk_widget_add_css_class (row, "strategy-row");
  gtk_widget_set_tooltip_text (row, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ns_strategy_get_short_label (strategy), -1);
  g_signal_connect_object (row, "notify::active", G_CALLBACK (ns_strategy_row_show_state), mark, 0);
  return row;
}

GtkWidget *
ns_strategy_chip_new (NsStrategy strategy)
{
  GtkWidget *chip = ns_strategy_name_box (strategy);

  gtk_widget_add_css_class (chip, "strategy-chip");
  gtk_accessible_update_property (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ns_strategy_get_short_label (strategy), -1);
  return chip;
}
