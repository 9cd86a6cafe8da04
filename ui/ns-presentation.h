/* ns-presentation.h: presentation mode for a whole window: full screen, the header bar and the
 * chosen widgets (sidebar, banners) hidden behind a reveal at the top edge, a text scale.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _NsPresentation NsPresentation;

/* Told after every change of state or scale. */
typedef void (*NsPresentationChanged) (gboolean active, double scale, gpointer data);

#define NS_PRESENTATION_DEFAULT_SCALE 1.6
#define NS_PRESENTATION_MIN_SCALE 1.0
#define NS_PRESENTATION_MAX_SCALE 3.0

/* header is shown again while the pointer is at the window's top edge (window and header are
 * borrowed and must outlive it). */
NsPresentation *ns_presentation_new (GtkWindow *window, GtkWidget *header,
                                     NsPresentationChanged changed, gpointer data);
void ns_presentation_free (NsPresentation *self);
/* A widget hidden while presenting (and shown again as it was). */
void ns_presentation_add_hidden (NsPresentation *self, GtkWidget *widget);
void ns_presentation_set_active (NsPresentation *self, gboolean active);
gboolean ns_presentation_get_active (NsPresentation *self);
/* Clamped to [NS_PRESENTATION_MIN_SCALE, NS_PRESENTATION_MAX_SCALE]. */
void ns_presentation_set_scale (NsPresentation *self, double scale);
double ns_presentation_get_scale (NsPresentation *self);
/* Whether the header is shown now (always when not presenting). */
gboolean ns_presentation_header_revealed (NsPresentation *self);
/* As the pointer moving to (x, y) in the window would: reveals or hides the header. */
void ns_presentation_pointer_at (NsPresentation *self, double x, double y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsPresentation, ns_presentation_free)

G_END_DECLS
