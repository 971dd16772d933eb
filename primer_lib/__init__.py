"""Immunotherapy Primer, Part 2: cited models and a thin UI layer for the course notebooks.

Models (``primer_lib.tumor_growth`` ...) use numpy/scipy only; charts live in
``primer_lib.charts`` and widgets in ``primer_lib.widgets``. Importing the
package does nothing but define names.

Educational use only: not clinical advice.
"""

__version__ = "0.1.0"
