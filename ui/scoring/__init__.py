"""The Scoring screen: models, rules, the 2×2, personas, and a sandbox on the real leads.

pyqtgraph is imported only inside this package and the dashboard's, and must be told to
use PySide6 before its first import: this package's `__init__` runs first.
"""

import os

os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
