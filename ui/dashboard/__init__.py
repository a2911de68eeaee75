"""The Dashboard screen: one quarter at a glance, drawn with pyqtgraph.

pyqtgraph is imported only inside this package (so the app starts without it), and must
be told to use PySide6 before its first import: this package's `__init__` runs first.
"""

import os

os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
