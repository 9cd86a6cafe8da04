/* ns-application.h: the libadwaita application: windows, app actions, accelerators, About.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NS_TYPE_APPLICATION (ns_application_get_type ())
G_DECLARE_FINAL_TYPE (NsApplication, ns_application, NS, APPLICATION, AdwApplication)

NsApplication *ns_application_new (void);

G_END_DECLS
