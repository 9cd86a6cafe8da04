/* ns-error.h: the error domain every normscope core function reports through GError.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_ERROR (ns_error_quark ())

typedef enum {
  NS_ERROR_PARSE, /* the input is malformed: message says file, position, what was expected */
  NS_ERROR_INVALID_ARGUMENT, /* an option or parameter is out of range */
  NS_ERROR_IO,               /* reading or writing failed */
  NS_ERROR_UNSUPPORTED,      /* well-formed input that normscope does not handle */
  NS_ERROR_MISMATCH,         /* stats and data do not fit together */
  NS_ERROR_CANCELLED,
} NsErrorCode;

GQuark ns_error_quark (void);

/* Progress callback for long operations: fraction in [0, 1]. Called from the working thread. */
typedef void (*NsProgressFunc) (double fraction, gpointer user_data);

G_END_DECLS
