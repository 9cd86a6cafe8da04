# glibc_numpy.py: makes NumPy compute log, log1p, exp, expm1 and power as glibc's libm does, which
# normscope uses. On an AVX-512 machine NumPy dispatches them to its own vector kernels, 1-2 ulp
# from glibc in about a quarter of the cases; with those kernels disabled NumPy matches glibc bit
# for bit (../shared/reference/sklearn-power-quantile-pernorm-onnx.md, section 0). The setting is
# read when NumPy is imported, so a script calls use_glibc_math() first, and it re-executes the
# script with the variable set.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import sys

DISABLED = "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL"


def use_glibc_math():
    if "numpy" in sys.modules:
        raise RuntimeError("use_glibc_math() must run before NumPy is imported")
    if os.environ.get("NPY_DISABLE_CPU_FEATURES") != DISABLED:
        os.environ["NPY_DISABLE_CPU_FEATURES"] = DISABLED
        os.execv(sys.executable, [sys.executable] + sys.argv)
